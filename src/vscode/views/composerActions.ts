/**
 * The chat composer's own messages: context chips (add, remove) and the agent picker (pick with
 * params, back to the settings). The shape was checked already (viewProtocol.ts); the slug and
 * the params are checked again by AgentChoices, and what is refused is said in the composer.
 */
import type { ComposerState, HostMessage } from '../../core/viewProtocol';
import type { AgentChoices } from '../agents/agentChoices';
import type { ComposerContext } from '../context/composerContext';
import type { RunTargets } from '../runs/runTarget';
import { readRunSettings } from '../settings';
import type { ComposerMessage } from './viewActions';

export class ComposerActions {
  constructor(
    private readonly context: ComposerContext,
    private readonly agents: AgentChoices,
    private readonly targets: RunTargets,
  ) {}

  public get onDidChangeContext() {
    return this.context.onDidChange;
  }

  public get onDidChangeAgent() {
    return this.agents.onDidChange;
  }

  public async state(): Promise<ComposerState> {
    const preview = await this.targets.preview();
    const source = preview.auth === 'localServer' ? 'localServer' : preview.apiSlug ? 'settings' : 'none';
    return {
      chips: this.context.views,
      contextSize: this.context.sizeLabel,
      agent: this.agents.view({ apiSlug: preview.apiSlug, source }, readRunSettings().apiSlug),
    };
  }

  public async handle(message: ComposerMessage): Promise<HostMessage | void> {
    switch (message.type) {
      case 'addContext': {
        const result = await this.context.add(message.kind === 'ask' ? {} : { kind: message.kind });
        if ('refused' in result) return { type: 'composerRefused', reason: result.refused };
        return;
      }
      case 'removeContext':
        this.context.remove(message.id);
        return;
      case 'setAgent': {
        const result = await this.agents.choose(message.apiSlug, message.params);
        if (!result.ok) return { type: 'composerRefused', reason: result.message };
        return;
      }
      case 'resetAgent':
        await this.agents.reset();
        return;
      default: {
        const unexpected: never = message;
        throw new Error(`unknown composer message ${JSON.stringify(unexpected)}`);
      }
    }
  }
}
