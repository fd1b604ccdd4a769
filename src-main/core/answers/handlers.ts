import type { Handlers } from '../rpc/rpc-server';
import type { AnswerService } from './answer-service';

export function answerHandlers(
  answers: () => AnswerService,
): Pick<Handlers, 'answers.running' | 'answers.stop' | 'answers.follow'> {
  return {
    'answers.running': ({ conversationId }) => answers().running(conversationId),
    'answers.stop': (target) => ({ stopped: answers().stop(target) }),
    // The connection's own business: which conversations' answers it is sent (see RpcServer).
    'answers.follow': ({ conversationIds }, connection) => {
      connection.follow(conversationIds);
      return { following: new Set(conversationIds).size };
    },
  };
}
