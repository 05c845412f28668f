// The notification channels (webhooks, mail) in `notify/channels.json`: written whole and atomically
// (temp file + rename), a damaged file quarantined as the store's are. Secrets (a webhook's key, a
// mail password) are sealed with the SecretCodec that seals templates' secret env, and leave the
// main process only as the mask; saving the mask back keeps the stored value.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { SECRET_MASK } from '../../../shared/ipc';
import { NotifyChannel, DESKTOP_CHANNEL, type ChannelInput } from '../../../shared/notify';
import { isSealed, type SecretCodec } from '../secrets';
import { quarantine, type StoreProblem } from '../store/files';
import { checkMail } from './mail';
import { ChannelConfigError, checkWebhookUrl } from './webhook';

// The prefix secrets.ts writes (sealEnv): one format for every sealed value in the data dir.
const SEALED = 'sealed:v1:';

const ChannelsFile = z.object({ schemaVersion: z.number().int(), channels: z.array(NotifyChannel) });

export const channelsFile = (dataDir: string): string => join(dataDir, 'notify', 'channels.json');

const secretKey = (c: NotifyChannel): 'secret' | 'password' => (c.kind === 'webhook' ? 'secret' : 'password');

export class ChannelStore {
  private channels: NotifyChannel[] = [];
  readonly problems: StoreProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly codec: SecretCodec,
  ) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let why = 'its contents are not a list of channels';
    try {
      const parsed = ChannelsFile.safeParse(JSON.parse(text));
      if (parsed.success) {
        this.channels = parsed.data.channels;
        return;
      }
    } catch (error) {
      why = `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    }
    // Set aside, never written over: the user's channels may be recovered by hand from it.
    const q = quarantine(file, why);
    if (q.kind === 'quarantined') this.problems.push(q.problem);
  }

  /** As the clients see them: secrets masked. */
  list(): NotifyChannel[] {
    return this.channels.map(masked);
  }

  get(id: string): NotifyChannel | undefined {
    return this.channels.find((c) => c.id === id);
  }

  /** The channel's secret or password in clear ('' for none). */
  secretOf(c: NotifyChannel): string {
    const v = c.kind === 'webhook' ? c.secret : c.password;
    return v && isSealed(v) ? this.codec.decrypt(v.slice(SEALED.length)) : v;
  }

  save(input: ChannelInput): NotifyChannel {
    const id = input.id ?? `${input.kind}-${randomUUID().slice(0, 8)}`;
    if (id === DESKTOP_CHANNEL) throw new AppError('VALIDATION', 'desktop is the built-in desktop channel; give this one another id');
    const previous = this.get(id);
    if (previous && previous.kind !== input.kind) throw new AppError('CONFLICT', `channel ${id} is a ${previous.kind} channel; remove it to make a ${input.kind} one`);
    const parsed = NotifyChannel.safeParse({ ...input, id });
    if (!parsed.success) throw new AppError('VALIDATION', parsed.error.issues[0]?.message ?? 'the channel is not valid');
    const c = parsed.data;
    try {
      if (c.kind === 'webhook') checkWebhookUrl(c.url, c.allowHttp);
      else checkMail(c);
    } catch (error) {
      if (error instanceof ChannelConfigError) throw new AppError('VALIDATION', error.message);
      throw error;
    }
    const key = secretKey(c);
    const given = c.kind === 'webhook' ? c.secret : c.password;
    let stored: string;
    if (given === SECRET_MASK) stored = previous ? (previous.kind === 'webhook' ? previous.secret : previous.password) : '';
    else stored = given === '' || isSealed(given) ? given : SEALED + this.codec.encrypt(given);
    const next = { ...c, [key]: stored } as NotifyChannel;
    this.channels = previous ? this.channels.map((x) => (x.id === id ? next : x)) : [...this.channels, next];
    this.write();
    return masked(next);
  }

  remove(id: string): boolean {
    const before = this.channels.length;
    this.channels = this.channels.filter((c) => c.id !== id);
    if (this.channels.length === before) return false;
    this.write();
    return true;
  }

  private write(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ schemaVersion: 1, channels: this.channels }, null, 2));
    renameSync(tmp, this.file);
  }
}

function masked(c: NotifyChannel): NotifyChannel {
  if (c.kind === 'webhook') return { ...c, secret: c.secret ? SECRET_MASK : '' };
  return { ...c, password: c.password ? SECRET_MASK : '' };
}
