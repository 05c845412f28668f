/**
 * What the store hands out and keeps is frozen, all the way down: a change made to a job outside
 * the repository (repository.ts) throws instead of reaching memory behind the store's back.
 * An object already frozen is taken to be frozen all the way down (everything here is frozen by
 * this function), so a job made by spreading a stored one costs only its new parts.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value as object)) deepFreeze(v);
  return value;
}
