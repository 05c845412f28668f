// How a person names a stored template (`jobdeck run NAME`, jobs.create's `template`): its id,
// else its name exactly, else its name in any case where only one template has it. Plain code,
// no schema: the CLI and the core both call it.
export function findTemplate<T extends { readonly id: string; readonly name: string }>(all: readonly T[], ref: string): T | undefined {
  const exact = all.find((t) => t.id === ref) ?? all.find((t) => t.name === ref);
  if (exact) return exact;
  const lower = ref.toLowerCase();
  const alike = all.filter((t) => t.name.toLowerCase() === lower);
  return alike.length === 1 ? alike[0] : undefined;
}
