//! Just enough PNG decoding to tell a screenshot shows something: 8-bit
//! RGB or RGBA, not interlaced, as Chromium writes them.

#![allow(dead_code)]

use std::io::Read;

/// A decoded image: 8-bit samples, `channels` per pixel, row by row.
pub struct Image {
    pub width: usize,
    pub height: usize,
    channels: usize,
    samples: Vec<u8>,
}

pub fn decode(png: &[u8]) -> Result<Image, String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut rest = png.strip_prefix(SIGNATURE).ok_or("not a PNG file")?;
    let (mut width, mut height, mut channels) = (0usize, 0usize, 0usize);
    let mut idat = Vec::new();
    while rest.len() >= 12 {
        let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        let kind = &rest[4..8];
        let data = rest.get(8..8 + len).ok_or("a truncated chunk")?;
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                let (depth, color, interlace) = (data[8], data[9], data[12]);
                channels = match (depth, color, interlace) {
                    (8, 2, 0) => 3,
                    (8, 6, 0) => 4,
                    _ => {
                        return Err(format!(
                            "unsupported PNG: depth {depth}, colour type {color}, interlace {interlace}"
                        ))
                    }
                };
            }
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        rest = &rest[12 + len..];
    }
    if channels == 0 {
        return Err("no IHDR chunk".into());
    }
    let stride = width * channels;
    let mut raw = Vec::with_capacity(height * (stride + 1));
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .map_err(|e| format!("bad image data: {e}"))?;
    if raw.len() != height * (stride + 1) {
        return Err(format!(
            "image data of {} bytes for {width}×{height}",
            raw.len()
        ));
    }
    let mut samples = vec![0u8; height * stride];
    let zero = vec![0u8; stride];
    for (y, row) in raw.chunks_exact(stride + 1).enumerate() {
        let (filter, line) = (row[0], &row[1..]);
        let (done, this) = samples.split_at_mut(y * stride);
        let up = if y == 0 {
            &zero[..]
        } else {
            &done[(y - 1) * stride..]
        };
        let this = &mut this[..stride];
        match filter {
            0 => this.copy_from_slice(line),
            1 => {
                this[..channels].copy_from_slice(&line[..channels]);
                for i in channels..stride {
                    this[i] = line[i].wrapping_add(this[i - channels]);
                }
            }
            2 => {
                for i in 0..stride {
                    this[i] = line[i].wrapping_add(up[i]);
                }
            }
            3 | 4 => {
                for i in 0..stride {
                    let left = if i >= channels { this[i - channels] } else { 0 };
                    let corner = if i >= channels { up[i - channels] } else { 0 };
                    let predicted = if filter == 3 {
                        ((u16::from(left) + u16::from(up[i])) / 2) as u8
                    } else {
                        paeth(left, up[i], corner)
                    };
                    this[i] = line[i].wrapping_add(predicted);
                }
            }
            f => return Err(format!("unknown filter {f}")),
        }
    }
    Ok(Image {
        width,
        height,
        channels,
        samples,
    })
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

impl Image {
    /// The pixel at (x, y) as RGBA.
    pub fn pixel(&self, x: usize, y: usize) -> [u8; 4] {
        let at = (y * self.width + x) * self.channels;
        let p = &self.samples[at..at + self.channels];
        [
            p[0],
            p[1],
            p[2],
            if self.channels == 4 { p[3] } else { 255 },
        ]
    }

    /// Over a grid of every third pixel: the share that differs from the
    /// most common colour, and how many colours there are.
    pub fn ink(&self) -> (f64, usize) {
        let mut counts = std::collections::HashMap::new();
        let mut total = 0usize;
        for y in (0..self.height).step_by(3) {
            for x in (0..self.width).step_by(3) {
                *counts.entry(self.pixel(x, y)).or_insert(0usize) += 1;
                total += 1;
            }
        }
        let background = counts.values().copied().max().unwrap_or(0);
        (
            (total - background) as f64 / total.max(1) as f64,
            counts.len(),
        )
    }
}
