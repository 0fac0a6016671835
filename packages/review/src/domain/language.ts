// A review's language when its author did not say: guessed from the writing system, which
// tells Korean, Japanese and Chinese apart and nothing finer (Latin script stays unknown).

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;
const KANA = /[\u3040-\u30ff]/u;
const HAN = /[\u4e00-\u9fff]/u;

/** The BCP 47 primary tag `text` is written in, as far as its script tells; "" when it cannot. */
export function guessLanguage(text: string): string {
  if (HANGUL.test(text)) return "ko";
  if (KANA.test(text)) return "ja";
  if (HAN.test(text)) return "zh";
  return "";
}
