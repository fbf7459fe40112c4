// The mail layer and the rule engine as the GitHub review uses them; injectable so the GitHub
// side can be tested on its own and wired to the real stages by the command.
import type { Message, Patch, RawMessage, Review, Series } from '../model.ts';

export interface GithubStages {
  parseMessage(raw: RawMessage): Promise<Message>;
  toPatch(msg: Message): Patch;
  reviewSeries(series: Series): Promise<Review>;
}
