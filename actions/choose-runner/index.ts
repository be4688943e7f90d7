// Entry of the choose-runner action: everything lives in main.ts.
import { run } from './main.ts';

await run();
