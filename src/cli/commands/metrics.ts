// `jobdeck metrics`: the core's metrics as Prometheus text, what the headless host serves at /metrics.
import type { Cli } from '../context';

export async function metrics(cli: Cli): Promise<number> {
  const { text, contentType } = await (await cli.client()).call('metrics.text', {});
  if (cli.out.json) cli.out.printJson({ contentType, text });
  else cli.out.stdout(text);
  return 0;
}
