import type { Handlers } from '../rpc/rpc-server';
import { conversationDetail } from '../store/handlers';
import type { Store } from '../store/store';
import type { ChatService } from './chat-service';

type ChatMethods =
  | 'chat.send'
  | 'chat.edit'
  | 'chat.regenerate'
  | 'chat.continue'
  | 'chat.switchBranch'
  | 'chat.deleteMessage'
  | 'chat.contextUsage';

export function chatHandlers(chat: () => ChatService, store: () => Store): Pick<Handlers, ChatMethods> {
  return {
    'chat.send': (input) => chat().send(input),
    'chat.edit': (input) => chat().edit(input),
    'chat.regenerate': (input) => chat().regenerate(input),
    'chat.continue': (input) => chat().continue(input),
    'chat.switchBranch': ({ conversationId, messageId }) => {
      chat().switchBranch(conversationId, messageId);
      return conversationDetail(store(), conversationId);
    },
    'chat.contextUsage': ({ conversationId, draft }) => chat().contextUsage(conversationId, draft),
    'chat.deleteMessage': ({ conversationId, messageId }) => {
      chat().deleteMessage(conversationId, messageId);
      return conversationDetail(store(), conversationId);
    },
  };
}
