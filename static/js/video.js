// Replaces a video's poster with its host's player when the reader presses play, so that
// nothing is requested from the host before. Without this script the link opens the video
// on the host's own site.
document.addEventListener('click', function (e) {
  var link = e.target.closest && e.target.closest('a.video-play');
  if (!link) return;
  var frame = link.closest('.video-frame');
  if (!frame || !frame.dataset.player) return;
  e.preventDefault();
  var player = document.createElement('iframe');
  player.src = frame.dataset.player;
  player.title = link.dataset.title || '';
  player.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
  player.allowFullscreen = true;
  player.width = '800';
  player.height = '450';
  frame.replaceChildren(player);
  player.focus();
});
