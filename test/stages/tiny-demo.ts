import { defaultParams, type Params } from '../../pipeline/params.ts';

/** A demo of 24 small, correctly labelled objects (4 per type) for the dataset stage's tests: fast to draw. */
export function tinyDemoParams(): Params {
  const params = defaultParams();
  params.demo = { ...params.demo, seed: 7, per_type: 4, unlabelled_per_type: 0, wrong_label_rate: 0, image_size: 64 };
  params.collection.vocabulary = ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'];
  return params;
}
