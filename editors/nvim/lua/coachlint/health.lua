-- :checkhealth coachlint
local M = {}

function M.check()
  local h = vim.health
  local coachlint = require('coachlint')
  h.start('coachlint')
  if vim.fn.has('nvim-0.11') == 1 then
    h.ok('Neovim ' .. tostring(vim.version()) .. ' has vim.lsp.config and vim.lsp.enable')
  else
    h.error('Neovim 0.11 or newer is needed for lsp/coachlint.lua', { 'Upgrade Neovim, or use nvim-lspconfig' })
  end
  local bin = coachlint.binary()
  if vim.fn.executable(bin) == 1 then
    local r = vim.system({ bin, '--version' }, { text = true }):wait(5000)
    h.ok(('server: %s (%s)'):format(vim.fn.exepath(bin), vim.trim(r.stdout or '?')))
  else
    h.error(('`%s` is not executable or not on PATH'):format(bin), {
      'Install it: cargo install --path . (in the coachlint repository), or with Mason',
      "Or point the config at it: vim.lsp.config('coachlint', { cmd = { '/path/to/coachlint', 'lsp' } })",
    })
  end
  if vim.filetype.match({ filename = 'session.transcript' }) == coachlint.filetype then
    h.ok('*.transcript files are detected as ' .. coachlint.filetype)
  else
    h.warn('*.transcript is not detected as ' .. coachlint.filetype .. ': is the plugin on the runtimepath?')
  end
  local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled('coachlint')
  if enabled then
    h.ok("the language server is enabled (vim.lsp.enable('coachlint'))")
  else
    h.warn("the language server is not enabled", { "Add vim.lsp.enable('coachlint') to your config" })
  end
  local opts = coachlint.options()
  h.info(('other formats (.vtt, .srt, .txt): %s'):format(opts.other_formats and 'linted when they look like transcripts' or 'off (opt in with vim.g.coachlint = { other_formats = true })'))
end

return M
