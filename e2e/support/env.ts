// What global setup hands to the specs, through the environment of the worker processes.
export const URL_ENV = 'JOBDECK_E2E_URL';
export const DATA_DIR_ENV = 'JOBDECK_E2E_DATA_DIR';
// The image is the one every tier shares (test/support/testImage.ts); the specs take it from here.
export { TEST_IMAGE } from '../../test/support/testImage';

export function hostUrl(): string {
  const url = process.env[URL_ENV];
  if (!url) throw new Error(`${URL_ENV} is not set: run the specs through playwright.config.ts (its global setup starts the host)`);
  return url;
}
