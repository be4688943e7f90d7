import type * as tfjs from '@tensorflow/tfjs';
import { messageOf, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';

/*
 * The TF.js backend is chosen when a run starts, not when the code is written: a self-hosted GPU
 * runner has tfjs-node-gpu, a maintainer's laptop may have tfjs-node, a hosted runner has only the
 * WebAssembly backend that ships with Vitrine. The native packages cannot be installed everywhere
 * (they download libtensorflow), so they are never listed as dependencies and are loaded only by
 * name here; their absence is a one-line notice and the next backend is tried.
 */

/** The TF.js API (the module namespace). */
export type TF = typeof tfjs;

/** What `train.backend` in params.yaml may ask for. */
export type BackendPreference = Params['train']['backend'];

/** Loads a module by name; injected so tests can make a package present, absent or broken. */
export type ImportModule = (name: string) => Promise<unknown>;

export interface SelectedBackend {
  /** The TF.js backend name as reported in metrics: "tensorflow", "wasm" or "cpu". */
  name: string;
  /** The npm package that provided it ("@tensorflow/tfjs-node-gpu", ...; "@tensorflow/tfjs" for cpu). */
  package: string;
  /** The TF.js API, already switched to this backend. */
  tf: TF;
}

const GPU = '@tensorflow/tfjs-node-gpu';
const NODE = '@tensorflow/tfjs-node';
const WASM = '@tensorflow/tfjs-backend-wasm';
const TFJS = '@tensorflow/tfjs';

/** The backends whose kernels run on one thread in Node (worth spreading over worker threads). */
export function isSingleThreaded(backend: string): boolean {
  return backend === 'wasm' || backend === 'cpu';
}

/**
 * Selections made with the real module loader, per preference: a run asks for the backend in several
 * stages, and the choice (and its one-line notice) is the same each time, so it is made once per process.
 */
const selections = new Map<BackendPreference, Promise<SelectedBackend>>();

/**
 * Pick and initialise the TF.js backend. "auto" tries tfjs-node-gpu, tfjs-node, wasm, then cpu;
 * "tensorflow", "wasm" or "cpu" insist on that one and fail with BACKEND_UNAVAILABLE if it cannot start.
 * The first call for a preference logs the choice; later ones reuse it quietly (switching TF.js back to
 * it if something else was activated since). An injected `importModule` always gets a fresh selection.
 */
export async function selectBackend({
  preference = 'auto',
  log,
  importModule,
}: {
  preference?: BackendPreference;
  log: Logger;
  importModule?: ImportModule;
}): Promise<SelectedBackend> {
  if (importModule) return pickBackend({ preference, log, importModule });
  const selection = selections.get(preference);
  if (!selection) {
    const fresh = pickBackend({ preference, log, importModule: (name: string) => import(name) });
    selections.set(preference, fresh);
    // A failure is not remembered: the next call tries again and reports it again.
    fresh.catch(() => {
      if (selections.get(preference) === fresh) selections.delete(preference);
    });
    return fresh;
  }
  const selected = await selection;
  if (selected.tf.getBackend() === selected.name) return selected;
  const failures: string[] = [];
  if (await activate(selected.tf, selected.name, selected.package, failures)) return selected;
  // The backend that started before no longer does: choose again, with a notice.
  selections.delete(preference);
  return selectBackend({ preference, log });
}

/** The selection itself: try the backends in order, log the one chosen. */
async function pickBackend({
  preference,
  log,
  importModule,
}: {
  preference: BackendPreference;
  log: Logger;
  importModule: ImportModule;
}): Promise<SelectedBackend> {
  const tf = (await importModule(TFJS)) as TF;
  // TF.js prints advice ("install tfjs-node") with console.warn; the pipeline never prints.
  tf.env().set('PROD', true);
  const forced = preference !== 'auto';
  const failures: string[] = [];

  const tryNative = async (pkg: string): Promise<boolean> => {
    try {
      // Importing tfjs-node registers the "tensorflow" backend with the shared tfjs-core.
      await importModule(pkg);
    } catch (error) {
      const reason = isMissing(error, pkg) ? 'not installed' : `could not load (${firstLine(messageOf(error))})`;
      failures.push(`${pkg}: ${reason}`);
      return false;
    }
    return activate(tf, 'tensorflow', pkg, failures);
  };

  if (preference === 'auto' || preference === 'tensorflow') {
    if (await tryNative(GPU)) return chosen({ name: 'tensorflow', pkg: GPU, tf, log, failures });
    if (await tryNative(NODE)) return chosen({ name: 'tensorflow', pkg: NODE, tf, log, failures });
    if (forced) throw unavailable('tensorflow', failures);
  }
  if (preference === 'auto' || preference === 'wasm') {
    let loaded = true;
    try {
      await importModule(WASM);
    } catch (error) {
      loaded = false;
      failures.push(
        `${WASM}: ${isMissing(error, WASM) ? 'not installed' : `could not load (${firstLine(messageOf(error))})`}`,
      );
    }
    if (loaded && (await activate(tf, 'wasm', WASM, failures)))
      return chosen({ name: 'wasm', pkg: WASM, tf, log, failures });
    if (forced) throw unavailable('wasm', failures);
    log.warn(
      `The WebAssembly backend could not start (${failures.at(-1)}); using the much slower plain JavaScript backend.`,
    );
  }
  if (await activate(tf, 'cpu', TFJS, failures)) return chosen({ name: 'cpu', pkg: TFJS, tf, log, failures });
  throw unavailable('cpu', failures);
}

/** One line saying which backend runs and, when it is a fallback, why the faster ones did not. */
function chosen({
  name,
  pkg,
  tf,
  log,
  failures,
}: {
  name: string;
  pkg: string;
  tf: TF;
  log: Logger;
  failures: string[];
}): SelectedBackend {
  log.info(
    `TensorFlow.js backend: ${name} (${pkg})${failures.length > 0 ? `; not used: ${failures.join('; ')}` : ''}.`,
  );
  return { name, package: pkg, tf };
}

/**
 * setBackend resolves to false (or even true, leaving another backend active) when a backend's
 * initialisation fails, with only a console warning; so the active backend is checked by name.
 */
async function activate(tf: TF, name: string, pkg: string, failures: string[]): Promise<boolean> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    failures.push(`${pkg}: the "${name}" backend failed to start (${firstLine(messageOf(error))})`);
    return false;
  }
  if (ok && tf.getBackend() === name) return true;
  failures.push(`${pkg}: the "${name}" backend did not start (TF.js is on "${tf.getBackend() ?? 'none'}")`);
  return false;
}

function unavailable(name: string, failures: string[]): VitrineError {
  const hint =
    name === 'tensorflow'
      ? ' Install @tensorflow/tfjs-node (or -gpu) on this runner, or set train.backend to "auto" in params.yaml.'
      : ' Set train.backend to "auto" in params.yaml to use whichever backend works.';
  return new VitrineError(
    'BACKEND_UNAVAILABLE',
    `The TensorFlow.js backend "${name}" asked for in params.yaml (train.backend) is not available here: ${failures.join('; ')}.${hint}`,
    {
      backend: name,
      failures,
    },
  );
}

function isMissing(error: unknown, pkg: string): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && messageOf(error).includes(pkg);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
