// The search page names a century typed in words as the Date filter does, with the pipeline's own (pure) function.
export { centuryName } from '../../../pipeline/catalogue/dates.ts';
