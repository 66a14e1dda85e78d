import type { ControlResult } from './connection';
import type { FollowContext } from './follow/followContext';
import { RunStreamSocket, type RunCommand } from './follow/runStream';
import type { RunTracker } from './runTracker';

/**
 * Commands for a running agent (pause, resume, input) over the run-stream socket: the one that
 * follows the run now, else one opened for commands only and kept until the run ends.
 */
export class RunCommands {
  /** The socket that follows the run now (set by the re-attach loop). */
  following: RunStreamSocket | undefined;
  private controlOnly: Promise<RunStreamSocket | undefined> | undefined;

  constructor(private readonly tracker: RunTracker, private readonly ctx: FollowContext, private readonly over: () => boolean) {}

  /** True where a socket can exist: the per-deployment API, a known run, and no server refusal yet. */
  get possible(): boolean {
    const { tracker } = this;
    return tracker.apiStyle === 'slug' && tracker.apiSlug !== '' && tracker.runId !== undefined && tracker.transports.runStream !== 'absent';
  }

  async send(command: RunCommand): Promise<ControlResult> {
    if (this.over()) return { ok: false, message: 'The run is over; there is no agent to tell.' };
    if (this.tracker.runId === undefined) return { ok: false, message: 'The server has not named the run yet; try again in a moment.' };
    if (!this.possible) {
      return { ok: false, message: 'This server offers no run-stream socket, so the agent cannot be paused, resumed or answered from here.' };
    }
    const socket = this.following?.open ? this.following : await this.openControlSocket();
    if (!socket?.send(command)) return { ok: false, message: 'The run-stream socket could not be opened; the command was not sent.' };
    this.ctx.logger.info(`Run ${this.tracker.runId}: sent ${command.action}.`);
    if (command.action === 'pause' || command.action === 'resume') this.tracker.setControl({ paused: command.action === 'pause' });
    return { ok: true };
  }

  close(): void {
    this.following?.close();
    void this.controlOnly?.then((socket) => socket?.close());
  }

  private openControlSocket(): Promise<RunStreamSocket | undefined> {
    const existing = this.controlOnly;
    if (existing) {
      return existing.then((socket) => {
        if (socket?.open) return socket;
        this.controlOnly = undefined;
        return this.openControlSocket();
      });
    }
    const socket = new RunStreamSocket(this.tracker, this.ctx, true);
    this.controlOnly = new Promise((resolve) => {
      void socket.run(() => resolve(socket)).then((result) => {
        if (result.kind === 'absent') {
          this.tracker.transports.runStream = 'absent';
          this.tracker.setControl({ available: false });
        }
        resolve(undefined);
      });
    });
    return this.controlOnly;
  }
}
