/**
 * Fires once when `touch()` has not been called for `ms`. Paused while the client itself is the
 * reason nothing is read (the consumer applies back-pressure), so a slow consumer never looks
 * like a silent server. One timer, refreshed rather than recreated: cheap at any chunk rate.
 */
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  private fired = false;

  constructor(private readonly ms: number, private readonly onIdle: () => void) {
    this.resume();
  }

  touch(): void {
    this.timer?.refresh();
  }

  pause(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  resume(): void {
    if (this.fired || this.timer || !(this.ms > 0 && Number.isFinite(this.ms))) return;
    this.timer = setTimeout(() => {
      this.fired = true;
      this.timer = undefined;
      this.onIdle();
    }, this.ms);
  }

  dispose(): void {
    this.fired = true;
    this.pause();
  }
}
