/** Text edits that turn a document (open, or a closed file VS Code loads) into a new text: the smallest replacement. */
import * as vscode from 'vscode';
import { positionIn } from './closedDocuments';
import { minimalReplace, stripBom, toEol } from './fileText';

/** A closed file's edit, computed on the text the pre-write check read (uniform line breaks). */
export function replaceInClosedFile(edit: vscode.WorkspaceEdit, target: vscode.Uri, before: string, after: string): void {
  const text = stripBom(before);
  const { start, end, text: replacement } = minimalReplace(text, stripBom(after));
  edit.replace(target, new vscode.Range(positionIn(text, start), positionIn(text, end)), replacement);
}

export function replaceInDocument(edit: vscode.WorkspaceEdit, doc: vscode.TextDocument, target: vscode.Uri, after: string): void {
  const current = doc.getText();
  const wanted = toEol(stripBom(after), doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  const { start, end, text } = minimalReplace(current, wanted);
  edit.replace(target, new vscode.Range(doc.positionAt(start), doc.positionAt(end)), text);
}
