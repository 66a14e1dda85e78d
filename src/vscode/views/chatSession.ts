import type * as vscode from 'vscode';
import { boundedHistory, type ChatTurn } from '../../core/selectionContext';
import type { RunHistory } from '../runs/runHistory';

const CONVERSATION_KEY = 'runtools.chat.conversation';

/**
 * The chat view's conversation: which runs belong to it, kept in workspace state so a reload
 * brings it back. Follow-up prompts carry the earlier turns as `context.history`.
 */
export class ChatSession {
  private runIds: string[];

  constructor(private readonly storage: vscode.Memento, private readonly history: RunHistory) {
    const known = new Set(history.ids());
    this.runIds = [...new Set(storage.get<string[]>(CONVERSATION_KEY, []))].filter((id) => known.has(id));
  }

  public includes(localId: string): boolean {
    return this.runIds.includes(localId);
  }

  public get ids(): readonly string[] {
    return this.runIds;
  }

  /** A run joins the conversation once (a run followed again after a reload is already in it). */
  public add(localId: string): void {
    if (this.runIds.includes(localId)) return;
    this.runIds = [...this.runIds, localId];
    void this.storage.update(CONVERSATION_KEY, this.runIds);
  }

  public clear(): void {
    this.runIds = [];
    void this.storage.update(CONVERSATION_KEY, this.runIds);
  }

  /** The thread this chat continues (the newer API): the latest one its runs were given. New Chat starts none. */
  public async threadId(): Promise<string | undefined> {
    for (let i = this.runIds.length - 1; i >= 0; i--) {
      const threadId = (await this.history.get(this.runIds[i]!))?.record.header.threadId;
      if (threadId) return threadId;
    }
    return undefined;
  }

  /** The earlier turns, oldest first: each prompt, and the agent's final output when there was one. */
  public async turns(): Promise<ChatTurn[]> {
    const turns: ChatTurn[] = [];
    for (const id of this.runIds) {
      const entry = await this.history.get(id);
      if (!entry) continue;
      turns.push({ role: 'user', content: entry.record.header.prompt });
      if (entry.record.header.output) turns.push({ role: 'assistant', content: entry.record.header.output });
    }
    return boundedHistory(turns);
  }
}
