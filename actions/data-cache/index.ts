// Entry of the data-cache action: everything lives in main.ts, so importing it in tests has no effect.
import { run } from './main.ts';

await run();
