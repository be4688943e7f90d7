import type { Stage } from './stage.ts';

/**
 * Every stage of the pipeline, in run order. Loaded lazily so that a command that needs no
 * TensorFlow (like `vitrine data status`) starts fast.
 */
export async function loadStages(): Promise<Stage[]> {
  const [dataset, train, evaluate, report, promote, catalogue] = await Promise.all([
    import('./dataset.ts'),
    import('./train.ts'),
    import('./evaluate.ts'),
    import('./report.ts'),
    import('./promote.ts'),
    import('./catalogue.ts'),
  ]);
  return [
    dataset.datasetStage,
    train.trainStage,
    evaluate.evaluateStage,
    report.reportStage,
    promote.promoteStage,
    catalogue.catalogueStage,
  ];
}
