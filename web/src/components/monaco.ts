// Monaco, bundled (no CDN): the editor API, its usual contributions, C and shell highlighting, and the editor
// worker through Vite's ?worker import.
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/cpp/register";
import "monaco-editor/languages/definitions/shell/register";
import "monaco-editor/languages/definitions/markdown/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = { getWorker: () => new EditorWorker() };

export { monaco };

export function uriOf(path: string): monaco.Uri {
  return monaco.Uri.from({ scheme: "file", path: "/project/" + path });
}

export function pathOfUri(uri: monaco.Uri): string {
  return uri.path.replace(/^\/project\//, "");
}

export function languageOf(path: string): string {
  if (/\.[ch]$/.test(path)) return "c";
  if (/\.sh$/.test(path)) return "shell";
  if (/\.md$/.test(path)) return "markdown";
  return "plaintext";
}
