// What the demo reviewers write, by language and by how the stay went: short, plausible and
// varied enough that a list of reviews does not read as one sentence repeated.

type Mood = "great" | "good" | "mixed" | "poor";

const TEXTS: Record<string, Record<Mood, { title: string; body: string }[]>> = {
  en: {
    great: [
      { title: "Would stay again", body: "Spotless room, a host who answered within minutes, and a quiet street. Everything matched the photos." },
      { title: "Perfect base", body: "Easy to reach from the station, comfortable beds and a generous breakfast. We already booked our next trip." },
    ],
    good: [
      { title: "Good value", body: "Clean and well located. The walls are a little thin, but for the price it was a very good stay." },
      { title: "Nice stay", body: "Friendly check-in and a comfortable room. The shower pressure could be better." },
    ],
    mixed: [
      { title: "Fine for a night", body: "The location is great but the room was smaller than it looked and the heating was noisy." },
    ],
    poor: [{ title: "Disappointing", body: "The room was not cleaned when we arrived and nobody answered the phone at night." }],
  },
  ko: {
    great: [
      { title: "다시 오고 싶어요", body: "방이 정말 깨끗하고 호스트분이 친절하셨어요. 사진과 똑같았고 조용해서 푹 쉬었습니다." },
      { title: "최고의 숙소", body: "역에서 가깝고 침구가 편안했어요. 조식도 맛있었습니다." },
    ],
    good: [{ title: "가성비 좋아요", body: "깨끗하고 위치가 좋아요. 방음이 조금 아쉽지만 가격 대비 만족합니다." }],
    mixed: [{ title: "무난했어요", body: "위치는 좋은데 방이 생각보다 작고 난방 소리가 컸어요." }],
    poor: [{ title: "아쉬웠어요", body: "도착했을 때 청소가 안 되어 있었고 밤에는 연락이 되지 않았어요." }],
  },
  ja: {
    great: [{ title: "また泊まりたい", body: "部屋はとても清潔で、ホストの対応も丁寧でした。静かでゆっくり休めました。" }],
    good: [{ title: "コスパが良い", body: "清潔で立地も便利です。壁が少し薄いですが、値段を考えると満足です。" }],
    mixed: [{ title: "まあまあ", body: "立地は良いのですが、部屋が写真より狭く、暖房の音が気になりました。" }],
    poor: [{ title: "残念でした", body: "到着時に清掃が済んでおらず、夜は連絡がつきませんでした。" }],
  },
  zh: {
    great: [{ title: "还会再来", body: "房间非常干净，房东很热情，环境安静，和照片一模一样。" }],
    good: [{ title: "性价比高", body: "干净，位置方便。隔音一般，但以这个价格来说很满意。" }],
    mixed: [{ title: "还可以", body: "位置很好，但房间比照片小，暖气声音有点大。" }],
    poor: [{ title: "有点失望", body: "入住时房间没有打扫，晚上也联系不上房东。" }],
  },
  fr: {
    great: [{ title: "Parfait", body: "Chambre impeccable, hôte très réactif et quartier calme. Tout correspondait aux photos." }],
    good: [{ title: "Bon rapport qualité-prix", body: "Propre et bien situé. Les murs sont un peu fins, mais très bon séjour." }],
    mixed: [{ title: "Correct", body: "Bien placé, mais la chambre était plus petite que prévu et le chauffage bruyant." }],
    poor: [{ title: "Décevant", body: "La chambre n'était pas nettoyée à notre arrivée." }],
  },
  de: {
    great: [{ title: "Sehr empfehlenswert", body: "Blitzsauberes Zimmer, ein sehr hilfsbereiter Gastgeber und eine ruhige Lage." }],
    good: [{ title: "Gutes Preis-Leistungs-Verhältnis", body: "Sauber und gut gelegen. Etwas hellhörig, aber insgesamt ein guter Aufenthalt." }],
    mixed: [{ title: "In Ordnung", body: "Die Lage ist toll, aber das Zimmer war kleiner als auf den Fotos." }],
    poor: [{ title: "Enttäuschend", body: "Das Zimmer war bei der Ankunft nicht gereinigt." }],
  },
};

const moodOf = (rating: number): Mood => (rating >= 5 ? "great" : rating === 4 ? "good" : rating === 3 ? "mixed" : "poor");

/** A title and body for a review of `rating` by someone writing in `locale`, picked by `pick` in [0, 1). */
export function reviewText(locale: string, rating: number, pick: number): { title: string; body: string; language: string } {
  const language = locale.split(/[-_]/)[0].toLowerCase();
  const texts = TEXTS[language] ?? TEXTS.en;
  const choices = texts[moodOf(rating)];
  const chosen = choices[Math.floor(pick * choices.length)];
  return { ...chosen, language: TEXTS[language] ? language : "en" };
}
