// The colour search runs in the browser with the pipeline's own (pure) colour functions.
export { deltaE, hexToLab, nearestByColour, type ColourIndex } from '../../../pipeline/catalogue/colour.ts';
