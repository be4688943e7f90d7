// The colour search runs in the browser with the pipeline's own (pure) colour functions.
export {
  type ColourIndex,
  coloursNear,
  deltaE,
  hexToLab,
  nearestByColour,
} from '../../../pipeline/catalogue/colour.ts';
