import { useRef, useState } from 'preact/hooks';
import { functionKey, setFunctionKey } from '../../state/functionKey';
import styles from './Layout.module.css';

/** Where an operator gives a deployed society's function key, so the dashboard's changes are allowed. */
export function FunctionKey() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState('');
  const open = () => {
    setDraft(functionKey.value);
    dialog.current?.showModal?.();
  };
  const save = (value: string) => {
    setFunctionKey(value);
    dialog.current?.close?.();
  };
  return (
    <>
      <button type="button" class={styles.keyButton} onClick={open} data-testid="function-key">
        Function key {functionKey.value ? '✓' : ''}
      </button>
      <dialog ref={dialog} class={`dialog ${styles.keyDialog}`} aria-labelledby="function-key-title">
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            save(draft);
          }}
        >
          <h2 id="function-key-title">Function key</h2>
          <p class="dim">
            A deployed BotSociety asks for a function key on every change (pause, pace, config, caps); reading needs
            none. On this machine's devhost no key is needed. The key is kept for this browser tab only.
          </p>
          <label class={styles.keyField}>
            Key
            <input type="password" autocomplete="off" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          </label>
          <div class={styles.keyActions}>
            <button type="button" class="button" onClick={() => save('')} disabled={!functionKey.value}>Forget the key</button>
            <button type="button" class="button" onClick={() => dialog.current?.close?.()}>Cancel</button>
            <button type="submit" class="button primary">Use this key</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
