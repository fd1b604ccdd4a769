/** Row shapes as SQLite returns them, and their conversion to the contract's types. */
import type {
  ConversationKind,
  ConversationSummary,
  MessageStatus,
  MessageView,
  StopReason,
} from '../../../src-shared/types';

export interface ConversationRow {
  id: number;
  kind: ConversationKind;
  title: string;
  pinned: 0 | 1;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  model: string | null;
  settings: string;
  state: string;
  leaf_message_id: number | null;
}

export interface MessageRow {
  id: number;
  conversation_id: number;
  parent_id: number | null;
  role: 'system' | 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  created_at: number;
  updated_at: number;
  prompt_tokens: number | null;
  output_tokens: number | null;
  time_to_first_token_ms: number | null;
  tokens_per_second: number | null;
  stop_reason: StopReason | null;
  error: string | null;
}

export function toSummary(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    pinned: row.pinned === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    model: row.model,
  };
}

export function toMessageView(row: MessageRow, branch: MessageView['branch']): MessageView {
  return {
    id: row.id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stats: {
      promptTokens: row.prompt_tokens,
      outputTokens: row.output_tokens,
      timeToFirstTokenMs: row.time_to_first_token_ms,
      tokensPerSecond: row.tokens_per_second,
      stopReason: row.stop_reason,
    },
    error: row.error,
    branch,
  };
}

/** JSON columns are written by this code only, but a damaged value must not take the app down. */
export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
