// The rules in plain functions: the ranking score's prior, edits by mask, the language guess.
import { describe, expect, it } from "vitest";
import { guessLanguage } from "../src/domain/language.js";
import { PRIOR_MEAN, PRIOR_WEIGHT, rankingScore } from "../src/domain/rating-statistics.js";
import { applyEdit, populatedFields } from "../src/domain/review-rules.js";
import { noAspects, type ReviewContent } from "../src/domain/review.js";

describe("rankingScore", () => {
  it("does not let one 5-star review beat a hundred 4.8s", () => {
    expect(rankingScore(1, 5)).toBeCloseTo(40 / 11, 12);
    expect(rankingScore(100, 480)).toBeCloseTo(515 / 110, 12);
    expect(rankingScore(1, 5)).toBeLessThan(rankingScore(100, 480));
  });

  it("starts at the prior and tends to the mean", () => {
    expect([PRIOR_MEAN, PRIOR_WEIGHT]).toEqual([3.5, 10]);
    expect(rankingScore(0, 0)).toBe(0);
    expect(rankingScore(10_000, 10_000 * 4.2)).toBeCloseTo(4.2, 2);
    expect(rankingScore(3, 3)).toBeGreaterThan(1);
  });
});

const content = (over: Partial<ReviewContent> = {}): ReviewContent => ({
  rating: 4,
  aspects: noAspects(),
  title: "Good",
  body: "Quiet.",
  language: "en",
  photoUrls: [],
  ...over,
});

describe("edits", () => {
  it("change the masked fields only and say which changed", () => {
    const { content: next, changed } = applyEdit(content(), content({ rating: 2, title: "Other", body: "" }), ["rating", "body"]);
    expect(next).toMatchObject({ rating: 2, title: "Good", body: "" });
    expect(changed).toEqual(["rating", "body"]);
    expect(applyEdit(content(), content(), ["title"]).changed).toEqual([]);
  });

  it("refuse to unset the rating", () => {
    expect(() => applyEdit(content(), content({ rating: 0 }), ["rating"])).toThrow(/rating/);
  });

  it("without a mask, take the fields the patch sets", () => {
    expect(populatedFields({ rating: 0, aspects: { ...noAspects(), value: 3 }, title: "", body: "New", language: "", photoUrls: [] })).toEqual([
      "aspect_ratings",
      "body",
    ]);
  });
});

describe("guessLanguage", () => {
  it.each([
    ["온돌이 따뜻했어요", "ko"],
    ["とても静かでした", "ja"],
    ["非常安静", "zh"],
    ["Very quiet", ""],
  ])("%s → %s", (text, tag) => expect(guessLanguage(text)).toBe(tag));
});
