/** The small static web app the demo agent writes: deterministic for a given prompt. */
export interface AppFile {
  name: string;
  content: string;
}

export interface AppPlan {
  title: string;
  /** The folder the app goes in, so it never lands on top of the user's own files (README.md...). */
  folder: string;
  kind: 'todo' | 'counter';
  files: AppFile[];
}

/** "Build a todo app for groceries" -> "Todo app for groceries". */
export function titleFromPrompt(prompt: string): string {
  const firstLine = prompt.trim().split(/\r?\n/)[0] ?? '';
  const stripped = firstLine
    .replace(/^(please\s+)?(can you\s+)?(build|make|create|write|generate|scaffold)\s+(me\s+)?((a|an|the)\s+)?/i, '')
    .replace(/[.!?\s]+$/, '')
    .trim();
  const title = stripped.length > 60 ? `${stripped.slice(0, 57).trimEnd()}...` : stripped;
  return title ? title[0]!.toUpperCase() + title.slice(1) : 'Demo app';
}

export function planApp(prompt: string): AppPlan {
  const title = titleFromPrompt(prompt);
  const kind = /\b(counter|clicker|tally)\b/i.test(prompt) ? 'counter' : 'todo';
  const files = [
    { name: 'index.html', content: indexHtml(title, kind) },
    { name: 'style.css', content: styleCss },
    { name: 'app.js', content: kind === 'todo' ? todoJs : counterJs },
    { name: 'README.md', content: readme(title, kind, prompt) },
  ];
  return { title, folder: folderFromTitle(title), kind, files };
}

/** "Todo app for groceries" -> "todo-app-for-groceries". */
export function folderFromTitle(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return slug || 'demo-app';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function indexHtml(title: string, kind: AppPlan['kind']): string {
  const body =
    kind === 'todo'
      ? `    <form id="add">
      <input id="text" placeholder="Add an item" autocomplete="off" aria-label="New item">
      <button type="submit">Add</button>
    </form>
    <ul id="items"></ul>
    <p id="count" class="muted"></p>`
      : `    <p id="value" aria-live="polite">0</p>
    <div class="buttons">
      <button id="dec" aria-label="Decrease">-</button>
      <button id="reset">Reset</button>
      <button id="inc" aria-label="Increase">+</button>
    </div>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="style.css">
</head>
<body>
  <main>
    <h1>${escapeHtml(title)}</h1>
${body}
  </main>
  <script src="app.js"></script>
</body>
</html>
`;
}

const styleCss = `:root {
  color-scheme: light dark;
  font-family: system-ui, sans-serif;
}

body {
  margin: 0;
  display: grid;
  place-items: start center;
  min-height: 100vh;
  background: Canvas;
  color: CanvasText;
}

main {
  width: min(32rem, 100% - 2rem);
  margin-top: 3rem;
}

form, .buttons {
  display: flex;
  gap: 0.5rem;
}

input {
  flex: 1;
  padding: 0.5rem;
}

button {
  padding: 0.5rem 1rem;
  cursor: pointer;
}

li.done span {
  text-decoration: line-through;
  opacity: 0.6;
}

#value {
  font-size: 4rem;
  text-align: center;
  margin: 1rem 0;
}

.muted {
  opacity: 0.7;
}
`;

const todoJs = `// A todo list kept in localStorage, so it survives a reload.
const storageKey = 'runtools-demo-todos';
const items = JSON.parse(localStorage.getItem(storageKey) || '[]');

const form = document.getElementById('add');
const input = document.getElementById('text');
const list = document.getElementById('items');
const count = document.getElementById('count');

function save() {
  localStorage.setItem(storageKey, JSON.stringify(items));
}

function render() {
  list.replaceChildren(...items.map((item, index) => {
    const li = document.createElement('li');
    li.className = item.done ? 'done' : '';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = item.done;
    box.addEventListener('change', () => { item.done = box.checked; save(); render(); });
    const text = document.createElement('span');
    text.textContent = item.text;
    const remove = document.createElement('button');
    remove.textContent = 'Remove';
    remove.addEventListener('click', () => { items.splice(index, 1); save(); render(); });
    li.append(box, text, remove);
    return li;
  }));
  const open = items.filter((item) => !item.done).length;
  count.textContent = open === 1 ? '1 item left' : open + ' items left';
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  items.push({ text, done: false });
  input.value = '';
  save();
  render();
});

render();
`;

const counterJs = `// A counter kept in localStorage, so it survives a reload.
const storageKey = 'runtools-demo-counter';
let value = Number(localStorage.getItem(storageKey) || 0);
const display = document.getElementById('value');

function show() {
  display.textContent = String(value);
  localStorage.setItem(storageKey, String(value));
}

document.getElementById('inc').addEventListener('click', () => { value += 1; show(); });
document.getElementById('dec').addEventListener('click', () => { value -= 1; show(); });
document.getElementById('reset').addEventListener('click', () => { value = 0; show(); });

show();
`;

function readme(title: string, kind: AppPlan['kind'], prompt: string): string {
  const quoted = prompt.trim().split(/\r?\n/).map((line) => `> ${line}`.trimEnd()).join('\n');
  return `# ${title}

A small static ${kind === 'todo' ? 'todo list' : 'counter'} app, written by the RunTools local demo agent for this request:

${quoted}

## Files

- \`index.html\`: the page
- \`style.css\`: the styles
- \`app.js\`: the behaviour (state kept in \`localStorage\`)

## Run it

No build step: serve this folder with any static server, for example \`npx serve .\`, and open the page.
`;
}
