// Imported, not read from disk: the extension bundles this server into one file with esbuild.
import askQuestion from './ask-question.json';
import demo from './demo.json';
import diffDialects from './diff-dialects.json';
import errorThenComplete from './error-then-complete.json';
import hugeToolOutput from './huge-tool-output.json';
import largeRun from './large-run.json';
import longDrip from './long-drip.json';
import malformedFrames from './malformed-frames.json';
import neverComplete from './never-complete.json';
import rateLimited from './rate-limited.json';
import reviewDemo from './review-demo.json';
import runFailed from './run-failed.json';
import serverErrorHtml from './server-error-html.json';
import serverError from './server-error.json';
import slowDrip from './slow-drip.json';
import streamDrop from './stream-drop.json';
import typeField from './type-field.json';
import unknownEvents from './unknown-events.json';
import type { Frame, Scenario } from './types';

export type { Frame, Scenario } from './types';

const raw: Record<string, unknown> = {
  demo,
  'slow-drip': slowDrip,
  'long-drip': longDrip,
  'stream-drop': streamDrop,
  'malformed-frames': malformedFrames,
  'unknown-events': unknownEvents,
  'huge-tool-output': hugeToolOutput,
  'error-then-complete': errorThenComplete,
  'run-failed': runFailed,
  'rate-limited': rateLimited,
  'server-error': serverError,
  'server-error-html': serverErrorHtml,
  'never-complete': neverComplete,
  'diff-dialects': diffDialects,
  'large-run': largeRun,
  'type-field': typeField,
  'ask-question': askQuestion,
  'review-demo': reviewDemo,
};

/** The shipped scenarios by name (the value of `params.scenario`). */
export const builtInScenarios: Readonly<Record<string, Scenario>> = Object.fromEntries(
  Object.entries(raw).map(([name, value]) => [name, checkScenario(name, value)]),
);

/** JSON imports are typed loosely; check the shape once so a bad file fails at startup, not mid-run. */
export function checkScenario(name: string, value: unknown): Scenario {
  const fail = (why: string): never => {
    throw new Error(`Scenario '${name}': ${why}`);
  };
  if (!isRecord(value)) return fail('not an object');
  if (typeof value.description !== 'string') fail('missing description');
  if (value.response !== undefined && (!isRecord(value.response) || typeof value.response.status !== 'number')) {
    fail('response needs a numeric status');
  }
  if (value.frames !== undefined) {
    if (!Array.isArray(value.frames)) fail('frames must be an array');
    else value.frames.forEach((frame, i) => checkFrame(frame, `frames[${i}]`, fail));
  }
  if (value.response === undefined && value.frames === undefined) fail('needs frames or a response');
  return value as unknown as Scenario;
}

function checkFrame(frame: unknown, where: string, fail: (why: string) => never): asserts frame is Frame {
  if (!isRecord(frame)) return fail(`${where} is not an object`);
  if (frame.delay !== undefined && (typeof frame.delay !== 'number' || frame.delay < 0)) fail(`${where}.delay must be a number >= 0`);
  if ('repeat' in frame) {
    if (typeof frame.repeat !== 'number' || !Array.isArray(frame.frames)) fail(`${where} repeat needs a count and frames`);
    if (frame.unit !== undefined && frame.unit !== 'rounds' && frame.unit !== 'frames') fail(`${where}.unit must be rounds or frames`);
    (frame.frames as unknown[]).forEach((inner, i) => checkFrame(inner, `${where}.frames[${i}]`, fail));
  } else if ('raw' in frame) {
    if (typeof frame.raw !== 'string') fail(`${where}.raw must be a string`);
  } else if ('comment' in frame) {
    if (typeof frame.comment !== 'string') fail(`${where}.comment must be a string`);
  } else if ('drop' in frame) {
    if (frame.drop !== true) fail(`${where}.drop must be true`);
  } else if ('ask' in frame) {
    if (typeof frame.ask !== 'string') fail(`${where}.ask must be a string`);
  } else if ('keepAlive' in frame) {
    if (!isRecord(frame.keepAlive) || typeof frame.keepAlive.every !== 'number') fail(`${where}.keepAlive needs every`);
  } else if (frame.event === undefined && !(isRecord(frame.data) && typeof frame.data.type === 'string')) {
    fail(`${where} needs an event name or a data.type`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
