import type * as vscode from 'vscode';
import { boundedHistory, type ChatTurn } from '../../core/selectionContext';
import type { RunHistory } from '../runs/runHistory';

const CONVERSATION_KEY = 'runtools.chat.conversation';
/** The chat's own id, stamped on each of its runs: the history groups runs by it. */
const CHAT_ID_KEY = 'runtools.chat.id';

/**
 * The chat view's conversation: which runs belong to it, kept in workspace state so a reload
 * brings it back. Follow-up prompts carry the earlier turns as `context.history`.
 */
export class ChatSession {
  private runIds: string[];
  private chatId: string;

  constructor(private readonly storage: vscode.Memento, private readonly history: RunHistory) {
    const known = new Set(history.ids());
    this.runIds = [...new Set(storage.get<string[]>(CONVERSATION_KEY, []))].filter((id) => known.has(id));
    this.chatId = storage.get<string>(CHAT_ID_KEY) ?? this.newChatId();
  }

  /** The chat's id (a run of it carries it as `chatId`). */
  public get id(): string {
    return this.chatId;
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
    void this.history.get(localId).then((entry) => {
      if (entry && !entry.record.header.chatId) this.history.updateHeader(localId, { chatId: this.chatId });
    });
  }

  /** New Chat: no runs, and a new chat id (and so no thread to continue). */
  public clear(): void {
    this.runIds = [];
    void this.storage.update(CONVERSATION_KEY, this.runIds);
    this.chatId = this.newChatId();
  }

  /** Runs deleted from the history leave the conversation. */
  public drop(localIds: readonly string[]): void {
    const next = this.runIds.filter((id) => !localIds.includes(id));
    if (next.length === this.runIds.length) return;
    this.runIds = next;
    void this.storage.update(CONVERSATION_KEY, this.runIds);
  }

  private newChatId(): string {
    const id = `chat-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    void this.storage.update(CHAT_ID_KEY, id);
    return id;
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
