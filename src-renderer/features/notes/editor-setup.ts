/**
 * The note editor's CodeMirror setup: Markdown, wrapping, history, a theme drawn from the app's CSS
 * variables (each a light-dark() pair, so one theme is right in both), and the marked lines of a cited
 * passage.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, StateEffect, StateField, type Extension, type Range } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  dropCursor,
  EditorView,
  highlightSpecialChars,
  keymap,
  placeholder,
  type DecorationSet,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';

const theme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--text)',
    backgroundColor: 'transparent',
    // The app's text size (a setting), a little larger for writing.
    fontSize: '1.08em',
  },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font)', lineHeight: '1.65', overflow: 'auto' },
  // A readable line length, centred, with room to scroll the last line up.
  '.cm-content': {
    maxWidth: '46rem',
    margin: '0 auto',
    padding: '1.25rem 1.5rem 30vh',
    caretColor: 'var(--accent)',
  },
  '.cm-line': { padding: '0' },
  '.cm-cursor, .cm-dropCursor': { borderLeft: '2px solid var(--accent)' },
  '.cm-selectionBackground': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 18%, transparent) !important',
  },
  '&.cm-focused .cm-selectionBackground': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent) !important',
  },
  '.cm-placeholder': { color: 'var(--text-muted)', fontStyle: 'italic' },
  '.cm-cited-line': {
    backgroundColor: 'color-mix(in srgb, var(--warn) 16%, transparent)',
    boxShadow: 'inset 3px 0 0 var(--warn)',
    animation: 'cm-cited-in 1.2s ease-out',
  },
  '@keyframes cm-cited-in': {
    from: { backgroundColor: 'color-mix(in srgb, var(--warn) 45%, transparent)' },
    to: { backgroundColor: 'color-mix(in srgb, var(--warn) 16%, transparent)' },
  },
});

/** Markdown as it reads: headings larger, marks (#, *, `) muted, code in the mono font. */
const markdownStyle = HighlightStyle.define([
  { tag: tags.heading1, fontSize: '1.45em', fontWeight: '650', lineHeight: '1.35' },
  { tag: tags.heading2, fontSize: '1.25em', fontWeight: '650' },
  { tag: tags.heading3, fontSize: '1.1em', fontWeight: '650' },
  { tag: [tags.heading4, tags.heading5, tags.heading6], fontWeight: '650' },
  { tag: tags.strong, fontWeight: '700' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: [tags.link, tags.url], color: 'var(--accent)' },
  { tag: tags.monospace, fontFamily: 'var(--font-mono)', fontSize: '0.92em' },
  { tag: tags.quote, color: 'var(--text-muted)', fontStyle: 'italic' },
  { tag: [tags.processingInstruction, tags.contentSeparator, tags.labelName], color: 'var(--text-muted)' },
  { tag: [tags.comment, tags.meta], color: 'var(--text-muted)' },
  { tag: tags.escape, color: 'var(--text-muted)' },
]);

/** Marks lines (1-based, inclusive), or clears the mark with null. */
const setCited = StateEffect.define<{ from: number; to: number } | null>();

/** The cited lines stay marked until the next edit. */
const citedLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    for (const effect of transaction.effects) {
      if (effect.is(setCited))
        return effect.value ? lineMarks(transaction.state, effect.value) : Decoration.none;
    }
    return transaction.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const citedLine = Decoration.line({ class: 'cm-cited-line' });
/** A passage is a few lines; this only bounds a mistaken range. */
const maxMarkedLines = 2000;

function lineMarks(state: EditorState, range: { from: number; to: number }): DecorationSet {
  const last = state.doc.lines;
  const from = Math.min(Math.max(1, range.from), last);
  const to = Math.min(Math.max(from, range.to), last, from + maxMarkedLines);
  const marks: Range<Decoration>[] = [];
  for (let line = from; line <= to; line++) marks.push(citedLine.range(state.doc.line(line).from));
  return Decoration.set(marks);
}

/** Scrolls to lines (1-based, inclusive), puts the cursor at their start and marks them. */
export function showLines(view: EditorView, from: number, to: number): void {
  const doc = view.state.doc;
  const start = doc.line(Math.min(Math.max(1, from), doc.lines)).from;
  view.dispatch({
    selection: { anchor: start },
    effects: [setCited.of({ from, to }), EditorView.scrollIntoView(start, { y: 'center' })],
  });
}

export interface EditorHooks {
  label: string;
  placeholder: string;
  /** The text changed (each keystroke). */
  changed: (text: string) => void;
  blurred: () => void;
  /** Mod-S: save now. */
  save: () => void;
}

export function editorExtensions(hooks: EditorHooks): Extension[] {
  return [
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    indentOnInput(),
    EditorState.allowMultipleSelections.of(true),
    EditorView.lineWrapping,
    markdown(),
    syntaxHighlighting(markdownStyle),
    placeholder(hooks.placeholder),
    keymap.of([
      {
        key: 'Mod-s',
        run: () => {
          hooks.save();
          return true;
        },
      },
      ...defaultKeymap,
      ...historyKeymap,
      indentWithTab,
    ]),
    citedLines,
    theme,
    EditorView.contentAttributes.of({
      'aria-label': hooks.label,
      spellcheck: 'true',
      autocorrect: 'on',
      autocapitalize: 'sentences',
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) hooks.changed(update.state.doc.toString());
      if (update.focusChanged && !update.view.hasFocus) hooks.blurred();
    }),
  ];
}
