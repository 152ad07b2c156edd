#!/usr/bin/env bash
# The demo's film of the drum, `assets/demo/media/trong-dong.mp4` (8 s, 640×360, H.264 + AAC):
# a slow zoom into the generated tympanum picture over the generated ambient sound, made with
# Debian's ffmpeg (`apt-get install ffmpeg`) from files `cargo xtask demo-assets` wrote. Like
# them it is CC0-1.0. Run from the repository root: bash crates/demo/media.sh
set -euo pipefail
demo=assets/demo
mkdir -p "$demo/media"
ffmpeg -hide_banner -loglevel error -y \
  -loop 1 -framerate 25 -i "$demo/images/trong-dong-mat.jpg" \
  -i "$demo/sounds/hau-cung.wav" \
  -filter_complex "[0:v]scale=1280:1280,crop=1280:720,zoompan=z='1+0.4*on/200':d=200:x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=640x360:fps=25,format=yuv420p[v];[1:a]afade=t=out:st=7:d=1[a]" \
  -map '[v]' -map '[a]' -t 8 \
  -c:v libx264 -profile:v main -preset slow -crf 33 -g 50 \
  -c:a aac -b:a 48k -ac 1 \
  -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  "$demo/media/trong-dong.mp4"
ls -l "$demo/media/trong-dong.mp4"
