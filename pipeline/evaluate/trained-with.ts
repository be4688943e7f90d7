import type { Params } from '../params.ts';
import type { Metrics } from '../types.ts';

/*
 * The model in production may have been trained with other settings than the model compared with it: a pull
 * request that changes them (the report lists params.yaml's changes), or an upgrade of Vitrine whose defaults
 * differ from the version that trained production (train.solver became lbfgs; before it there were only
 * mini-batch epochs, `adam` today). After such an upgrade, a run that changes nothing retrains with the new
 * default, and the gate may refuse every model as worse than production, without a word of why. The evaluate
 * stage compares the settings recorded with production's registration with today's, and says which differ.
 */

/** Settings that shape what a model learns: train.* and backbone.*, less where and how fast it runs, and the card. */
const SECTIONS = ['train', 'backbone'] as const;
const NOT_THE_MODEL = new Set(['train.backend', 'train.workers', 'backbone.licence']);

/** Settings only one way of fitting the head reads (pipeline/model/head.ts): the other ignores them. */
const ONLY_FOR: Record<string, 'lbfgs' | 'adam'> = {
  'train.l2_choices': 'lbfgs',
  'train.l2_cv_max_objects': 'lbfgs',
  'train.epochs': 'adam',
  'train.batch_size': 'adam',
  'train.learning_rate': 'adam',
  'train.patience': 'adam',
  'train.dropout': 'adam',
  'train.l2': 'adam',
};

/**
 * Settings added since Vitrine first recorded params with a version, with what the Vitrine before them did. A
 * setting absent from production's record and not here is not compared: nothing says it trained otherwise.
 */
const BEFORE_IT_EXISTED: Record<string, unknown> = { 'train.solver': 'adam' };

/** A training setting production was trained with and the one this model was trained with, where they differ. */
export interface SettingChange {
  /** "train.solver" */
  key: string;
  /** As production's registration records it (or what Vitrine did before the setting existed), as YAML reads it. */
  production: string;
  now: string;
  /** Production's value as params.yaml needs it written (text quoted where YAML would read it otherwise). */
  yaml: string;
  /** The setting did not exist in the Vitrine that trained production. */
  newSetting?: true;
}

/** The training settings that differ between production's record (its registration's params) and `now`. */
export function trainingSettingChanges({ recorded, now }: { recorded: unknown; now: Params }): SettingChange[] {
  if (!isRecord(recorded)) return [];
  const settingOf = (section: Record<string, unknown>, key: string, name: string) =>
    name in section ? section[name] : BEFORE_IT_EXISTED[key];
  // The solver each model was fitted with: adam whenever the head has hidden units (head.ts), whatever train.solver.
  const solverOf = (train: Record<string, unknown>) =>
    Number(train.hidden_units ?? 0) > 0 ? 'adam' : settingOf(train, 'train.solver', 'solver');
  const wasTrain = isRecord(recorded.train) ? recorded.train : null;
  const solvers = wasTrain ? [solverOf(wasTrain), solverOf(now.train)] : [];
  const changes: SettingChange[] = [];
  for (const section of SECTIONS) {
    const was = recorded[section];
    if (!isRecord(was)) continue;
    for (const [name, value] of Object.entries(now[section])) {
      const key = `${section}.${name}`;
      if (NOT_THE_MODEL.has(key)) continue;
      // A setting neither model's solver read changed nothing it learnt.
      if (ONLY_FOR[key] && !solvers.includes(ONLY_FOR[key])) continue;
      // A built-in backbone brings its own weights and input size: these two are read for a custom one only.
      const custom = [was.name, now.backbone.name].includes('custom');
      if ((key === 'backbone.source' || key === 'backbone.input_size') && !custom) continue;
      const before = key === 'train.solver' ? solvers[0] : settingOf(was, key, name);
      const after = key === 'train.solver' ? solvers[1] : value;
      if (before === undefined || same(key, before, after)) continue;
      changes.push({
        key,
        production: shown(before),
        now: shown(after),
        yaml: typeof before === 'string' ? yamlText(before) : JSON.stringify(before),
        ...(name in was ? {} : { newSetting: true }),
      });
    }
  }
  return changes;
}

/** Equal as settings: backbone.layer lists compared without the spaces around their commas. */
function same(key: string, a: unknown, b: unknown): boolean {
  const canonical = (v: unknown) =>
    key === 'backbone.layer' && typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .join(',')
      : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** "train.solver adam (this model: lbfgs)", for a sentence. */
export function settingChangeWords(changes: SettingChange[]): string {
  return changes.map((c) => `${c.key} ${c.production} (this model: ${c.now})`).join(', ');
}

/**
 * The gate's comparison with production, when it fails and production was trained with other settings: its
 * detail says which, and how to train as production was (the failure message and the report show the detail).
 */
export function withSettingChanges({
  gate,
  changes,
  version,
}: {
  gate: Metrics['gate'];
  changes: SettingChange[];
  version: string;
}): Metrics['gate'] {
  if (changes.length === 0) return gate;
  const why = `; ${version} was trained with ${settingChangeWords(changes)}. ${settingAdvice({ changes, version })}`;
  return {
    ...gate,
    checks: gate.checks.map((c) => (c.passed || !c.name.includes('baseline') ? c : { ...c, detail: c.detail + why })),
  };
}

/** Why the settings may differ, and the params.yaml lines that train as `version` was trained. */
export function settingAdvice({
  changes,
  version,
  prose = (words) => words,
  line = (yaml) => yaml,
}: {
  changes: SettingChange[];
  version: string;
  /** How the words are written (the report escapes them as Markdown). */
  prose?: (words: string) => string;
  /** How each params.yaml line to copy is written (the report: as code, so it pastes as it is). */
  line?: (yaml: string) => string;
}): string {
  const added = changes.filter((c) => c.newSetting).map((c) => c.key);
  const upgrade = added.length
    ? `${added.join(', ')} ${added.length === 1 ? 'is a setting' : 'are settings'} the Vitrine that trained ` +
      `${version} did not have: an upgrade of Vitrine changed ${added.length === 1 ? 'it' : 'them'}. `
    : '';
  const pin = changes.map((c) => line(`${c.key}: ${c.yaml}`)).join('; ');
  return (
    `${prose(`${upgrade}If that is not a change you meant, set`)} ${pin} ` +
    prose(`in params.yaml to train as ${version} was trained`)
  );
}

/** Text as params.yaml needs it written: quoted where YAML would read it otherwise (empty, a comma, a number…). */
function yamlText(text: string): string {
  return text === '' || /[,:#"'{}[\]&*!|>%@`]|^\s|\s$|^(true|false|null|yes|no|on|off|~|[-+.\d][\d.eE+-]*)$/i.test(text)
    ? JSON.stringify(text)
    : text;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
