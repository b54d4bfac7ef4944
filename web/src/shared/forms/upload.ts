// One photo to storage: the API hands out a presigned form POST (POST …/materials), the browser posts
// the file itself with progress; a lost connection keeps the target so 重试 resends the same photo to
// the same material while the target is valid, and asks for a fresh one after that.
import type { Schemas } from "@/api/client";
import { compressImage } from "@/shared/capture";

type UploadAnswer = Schemas["UploadAnswer"];

export const TOO_BIG_MESSAGE = "图片不能大于10M，且压缩后仍无法满足要求，请换一张清晰的照片";
export const NOT_IMAGE_MESSAGE = "请上传JPG或PNG格式的图片";
export const NETWORK_MESSAGE = "网络中断，上传失败，请检查网络后点击“重试”";

export class UploadFailure extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = "UploadFailure";
  }
}

/** The photo as it will be sent: JPEG/PNG under the target's byte limit (re-encoded when larger). */
export async function preparePhoto(file: File, maxBytes: number): Promise<File> {
  if (!/^image\//.test(file.type)) throw new UploadFailure(NOT_IMAGE_MESSAGE, false);
  let photo: File;
  try {
    photo = await compressImage(file, maxBytes);
  } catch {
    throw new UploadFailure(TOO_BIG_MESSAGE, false);
  }
  if (photo.size > maxBytes) throw new UploadFailure(TOO_BIG_MESSAGE, false);
  if (!["image/jpeg", "image/png"].includes(photo.type)) {
    // HEIC, WebP…: re-encode as JPEG by forcing compression below the file's own size
    try {
      photo = await compressImage(photo, Math.min(maxBytes, Math.max(1, photo.size - 1)));
    } catch {
      throw new UploadFailure(NOT_IMAGE_MESSAGE, false);
    }
  }
  return photo;
}

/** Whether a target from the API can still be used (its expiry less a margin for the upload itself). */
export function targetUsable(obtainedAt: number, target: UploadAnswer["upload"], now = Date.now()): boolean {
  return now - obtainedAt < (target.expires_in - 30) * 1000;
}

/** Post the photo to the presigned target; `progress` gets 0–100. */
export function postPhoto(target: UploadAnswer["upload"], photo: File, progress: (percent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    form.append("Content-Type", photo.type);
    form.append("file", photo, photo.name || "photo.jpg");
    const request = new XMLHttpRequest();
    request.open(target.method || "POST", target.url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) progress(Math.min(99, Math.round((event.loaded / event.total) * 100)));
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        progress(100);
        resolve();
      } else if (request.status === 400 && /EntityTooLarge/.test(request.responseText)) {
        reject(new UploadFailure(TOO_BIG_MESSAGE, false));
      } else {
        reject(new UploadFailure("上传未成功，请点击“重试”", true));
      }
    };
    request.onerror = () => reject(new UploadFailure(NETWORK_MESSAGE, true));
    request.ontimeout = () => reject(new UploadFailure(NETWORK_MESSAGE, true));
    request.timeout = 120_000;
    request.send(form);
  });
}

export function formatSize(bytes: number | null | undefined): string {
  if (!bytes) return "";
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)}MB` : `${Math.max(1, Math.round(bytes / 1024))}KB`;
}
