/**
 * A kustomization with the image tags of `images` (by image name) set to `tag`, text otherwise
 * unchanged (comments and order kept): the commit CI makes to promote a build to an
 * environment. An image name the file does not list throws.
 */
export function setImageTags(kustomization: string, images: string[], tag: string): string {
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`not an image tag: ${tag}`);
  let text = kustomization;
  for (const image of images) {
    const entry = new RegExp(`(- name: ${image.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\n(?:\\s+new(?:Name): .*\\n)*?\\s+newTag: ).*`);
    if (!entry.test(text)) throw new Error(`no images entry for ${image}`);
    text = text.replace(entry, `$1${tag}`);
  }
  return text;
}

/** The image tags a kustomization sets, by image name. */
export function imageTags(kustomization: string): Map<string, string> {
  return new Map([...kustomization.matchAll(/- name: (\S+)\n(?:\s+newName: .*\n)?\s+newTag: (\S+)/g)].map(([, name, tag]) => [name, tag]));
}
