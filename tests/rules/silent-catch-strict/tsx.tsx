export function CopyButton({ text }: { text: string }) {
  const onClick = async () => {
    try {
      await navigator.clipboard.writeText(text);
      // bkgen: expect silent-catch-strict
    } catch {
      /* clipboard denied: the text stays selected for manual copy */
    }
  };
  const onHover = async () => {
    try {
      await prefetch(text);
      // bkgen: ok silent-catch-strict
    } catch (err) {
      console.warn('prefetch failed', err);
    }
  };
  return <button onClick={onClick} onMouseEnter={onHover}>Copy</button>;
}
