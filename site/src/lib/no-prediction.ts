/*
 * Why an object has no guess of the model, in the public's words (its page and the "Predicted" filter). A picture
 * given to many objects (the dataset stage's IMAGE_PLACEHOLDER, most likely the museum's “no image” card) is shown
 * but says nothing of each: “No prediction yet” read as if one would come (task F1).
 */

/** The predicted filter's value for an object without a guess (no annotation). */
export function withoutGuess(object: { standIn: { objects: number } | null } | undefined): string {
  return object?.standIn ? 'No prediction: picture shared by many objects' : 'No prediction yet';
}

/**
 * Why an object page shows no guess: a picture given to many objects says nothing of this one; a photograph that
 * cannot be used; or none yet (no model, or not annotated yet).
 */
export function noPrediction(o: { standIn: { objects: number } | null; photoProblem: unknown }): string {
  if (o.standIn)
    return (
      `No prediction: the same picture is shown for ${o.standIn.objects} objects of this collection, most likely ` +
      "the museum's stand-in until each is photographed, so it says nothing of this one and the model does not " +
      'describe it.'
    );
  return o.photoProblem ? 'No prediction until the photograph is replaced.' : 'No prediction yet.';
}
