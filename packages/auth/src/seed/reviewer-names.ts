// Names the demo reviewers are drawn from, per locale: what people of that locale would show on
// a travel site. Weights follow the catalogue, which is mostly Korea and its neighbours.

/** One locale's share of the reviewers and how a name is written there. */
export interface LocaleNames {
  /** BCP 47 tag with a region, so auth's public profile shows a country. */
  locale: string;
  weight: number;
  given: readonly string[];
  family: readonly string[];
  /** The display name from a given and a family name. */
  format: (given: string, family: string) => string;
}

const initialLast = (given: string, family: string) => `${given} ${family[0]}.`;
const familyFirst = (given: string, family: string) => `${family}${given}`;

/** Every locale the demo reviewers come from. */
export const REVIEWER_LOCALES: readonly LocaleNames[] = [
  {
    locale: "ko-KR",
    weight: 30,
    given: ["민지", "서연", "지훈", "도윤", "하은", "예준", "수빈", "지우", "현우", "유나", "성민", "다은", "준호", "은지", "태양"],
    family: ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오"],
    format: familyFirst,
  },
  {
    locale: "ja-JP",
    weight: 14,
    given: ["陽菜", "蓮", "美咲", "大翔", "結衣", "悠真", "さくら", "翔太", "葵", "健太"],
    family: ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"],
    format: (given, family) => `${family} ${given}`,
  },
  {
    locale: "zh-Hant-TW",
    weight: 8,
    given: ["怡君", "雅婷", "家豪", "志明", "淑芬", "冠宇", "佳穎", "宗翰"],
    family: ["陳", "林", "黃", "張", "李", "王", "吳", "劉"],
    format: familyFirst,
  },
  {
    locale: "en-US",
    weight: 14,
    given: ["Emily", "Michael", "Jessica", "David", "Ashley", "Chris", "Megan", "Jason", "Sarah", "Tyler", "Olivia", "Ethan"],
    family: ["Johnson", "Smith", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson", "Anderson", "Thompson", "Martinez"],
    format: initialLast,
  },
  {
    locale: "en-GB",
    weight: 8,
    given: ["Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Jack", "Freya", "Charlotte", "Alfie"],
    family: ["Taylor", "Brown", "Evans", "Walker", "Wright", "Hughes", "Roberts", "Clarke"],
    format: initialLast,
  },
  {
    locale: "en-AU",
    weight: 4,
    given: ["Matilda", "Lachlan", "Chloe", "Cooper", "Ruby", "Hamish"],
    family: ["Kelly", "Murphy", "Ryan", "Campbell", "Mitchell", "Harris"],
    format: initialLast,
  },
  {
    locale: "fr-FR",
    weight: 6,
    given: ["Camille", "Louis", "Léa", "Hugo", "Chloé", "Mathis", "Manon", "Théo", "Inès"],
    family: ["Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Girard", "Rousseau"],
    format: initialLast,
  },
  {
    locale: "de-DE",
    weight: 6,
    given: ["Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Leon", "Sophie", "Maximilian"],
    family: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann"],
    format: initialLast,
  },
  {
    locale: "es-ES",
    weight: 3,
    given: ["Lucía", "Pablo", "Carmen", "Javier", "Marta", "Álvaro"],
    family: ["García", "Fernández", "López", "Sánchez", "Romero", "Navarro"],
    format: initialLast,
  },
  {
    locale: "it-IT",
    weight: 3,
    given: ["Giulia", "Marco", "Chiara", "Alessandro", "Francesca", "Matteo"],
    family: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano"],
    format: initialLast,
  },
  {
    locale: "th-TH",
    weight: 2,
    given: ["ณัฐวุฒิ", "สุภาพร", "ธนพล", "กมลชนก"],
    family: ["ศรีสุข", "วงศ์ใหญ่", "แก้วมณี", "บุญมา"],
    format: (given, family) => `${given} ${family}`,
  },
  {
    locale: "vi-VN",
    weight: 2,
    given: ["Minh Anh", "Quang Huy", "Thu Trang", "Đức Thắng"],
    family: ["Nguyễn", "Trần", "Lê", "Phạm"],
    format: (given, family) => `${family} ${given}`,
  },
];
