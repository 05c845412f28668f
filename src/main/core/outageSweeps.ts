/**
 * Engines back after an outage whose lost attempts' containers are not gone yet (Docker killed
 * them, Podman's may still run). Until the sweep has removed them no new attempt starts there,
 * so a retry never runs beside the attempt it replaces; a sweep that could not list (the engine
 * gone again, or not yet answering) is tried again at the engine's next probe.
 */
export class OutageSweeps {
  private readonly due = new Set<string>();
  private readonly running = new Set<string>();
  /** Probed again while a sweep ran: one that could not look then looks again at once. */
  private readonly again = new Set<string>();

  /** `sweep` resolves false when it could not look; `swept` is told each engine it cleared. */
  constructor(
    private readonly sweep: (engineId: string) => Promise<boolean>,
    private readonly swept: (engineId: string) => void,
  ) {}

  /** The engine is available again (or was probed while a sweep is due). */
  back(engineId: string): void {
    this.due.add(engineId);
    if (this.running.has(engineId)) {
      this.again.add(engineId);
      return;
    }
    this.running.add(engineId);
    void this.sweep(engineId)
      .catch(() => false)
      .then((done) => {
        this.running.delete(engineId);
        const probedMeanwhile = this.again.delete(engineId);
        if (!done) {
          if (probedMeanwhile) this.back(engineId);
          return;
        }
        this.due.delete(engineId);
        this.swept(engineId);
      });
  }

  /** A sweep is due on this engine: it takes no new attempt yet. */
  holds(engineId: string): boolean {
    return this.due.has(engineId);
  }
}
