// A guest's review of a stay, in domain terms (proto-mapping/ turns it into the contract's).

/** The aspects a guest may rate, each 1-5 or 0 when not rated. */
export const ASPECTS = ["cleanliness", "accuracy", "location", "value", "service", "checkIn", "comfort", "facilities"] as const;
export type Aspect = (typeof ASPECTS)[number];
export type AspectRatings = Record<Aspect, number>;

export type ReviewStatus = "published" | "hidden" | "deleted";

export interface HostReply {
  body: string;
  authorId: string;
  createTime: Date;
  updateTime: Date;
}

export interface Review {
  reviewId: string;
  reservationId: string;
  propertyId: string;
  /** The property's host when the review was written: the one who may reply. */
  hostId: string;
  authorId: string;
  authorDisplayName: string;
  authorCountry: string;
  rating: number;
  aspects: AspectRatings;
  title: string;
  body: string;
  language: string;
  photoUrls: string[];
  /** "YYYY-MM" of check-in. */
  stayMonth: string;
  roomTypeName: string;
  reply?: HostReply;
  status: ReviewStatus;
  helpfulCount: number;
  /** Bumped by every change; the etag. */
  version: number;
  createTime: Date;
  updateTime: Date;
}

/** What the author writes; everything else comes from the stay and the author's profile. */
export interface ReviewContent {
  rating: number;
  aspects: AspectRatings;
  title: string;
  body: string;
  language: string;
  photoUrls: string[];
}

/** The fields of {@link ReviewContent} an update may change, by their contract names. */
export const EDITABLE_FIELDS = ["rating", "aspect_ratings", "title", "body", "language", "photo_urls"] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export const noAspects = (): AspectRatings => ({
  cleanliness: 0,
  accuracy: 0,
  location: 0,
  value: 0,
  service: 0,
  checkIn: 0,
  comfort: 0,
  facilities: 0,
});

/** The etag of a review version (opaque to clients). */
export const etagOf = (r: Pick<Review, "reviewId" | "version">) => `W/"${r.version}"`;
