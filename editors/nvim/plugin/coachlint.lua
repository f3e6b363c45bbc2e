-- coachlint: filetype detection and :CoachlintReport. The language server is enabled
-- by the user with vim.lsp.enable('coachlint') (its config is lsp/coachlint.lua).
if vim.g.loaded_coachlint then return end
vim.g.loaded_coachlint = true

require('coachlint').apply()

vim.api.nvim_create_user_command('CoachlintReport', function(cmd)
  require('coachlint').report({ format = cmd.args ~= '' and cmd.args or nil })
end, {
  nargs = '?',
  complete = function() return { 'html', 'md' } end,
  desc = 'coachlint: open the session report of this transcript (html or md)',
})
