/**
 * Every question the extension asks the user with buttons goes through `ask`, so that it can be
 * answered in the real extension host by the integration tests: extension-test mode refuses
 * modal dialogs, and nothing can click a notification's button there. Only the extension's own
 * tests can install an answerer (see `testHooks` in extension.ts, exported in
 * `ExtensionMode.Test` alone); in every other mode the user answers.
 */
import * as vscode from 'vscode';

/** What a question is about: lets a test answer each kind its own way. */
export type QuestionKind =
  | 'undoOverwrite'
  | 'rejectOverwrite'
  | 'approveOrigin'
  | 'runActive'
  | 'runRefused'
  | 'deleteHistory'
  | 'other';

export interface Question {
  kind: QuestionKind;
  message: string;
  /** Shown under the message of a modal question. */
  detail?: string;
  /** A modal question blocks the window until answered (for decisions that must not wait unseen). */
  modal?: boolean;
  severity?: 'info' | 'warning' | 'error';
  choices: readonly string[];
}

/** The choice the user picked, or undefined when they dismissed the question. */
export type Answerer = (question: Question) => Promise<string | undefined> | string | undefined;

let testAnswerer: Answerer | undefined;

export async function ask(question: Question): Promise<string | undefined> {
  if (testAnswerer) return testAnswerer(question);
  const show = question.severity === 'error' ? vscode.window.showErrorMessage
    : question.severity === 'info' ? vscode.window.showInformationMessage
      : vscode.window.showWarningMessage;
  const options: vscode.MessageOptions = question.modal ? { modal: true, detail: question.detail } : {};
  return show(question.message, options, ...question.choices);
}

/** Test hooks only: the answerer for every later question (undefined: the user answers again). */
export function setTestAnswerer(answerer: Answerer | undefined): void {
  testAnswerer = answerer;
}
