" Vim syntax file for coachlint's coaching transcripts (*.transcript):
" front matter, timestamps, speaker labels (the coach set apart), suppression comments.
if exists('b:current_syntax')
  finish
endif

syn case match

" Front matter: only at the very top of the file.
syn region ctFrontMatter start=/\%^---\s*$/ end=/^---\s*$/ contains=ctFrontKey,ctFrontCoach keepend
syn match ctFrontKey /^\s*[A-Za-z_-]\+\ze\s*:/ contained
syn match ctFrontCoach /^\s*coach\(es\)\?\s*:\s*\zs.*$/ contained

" Suppression comments: # coachlint-disable-next-turn ADV001, judgment
syn match ctDirective /^\s*\(#\|NOTE\>\|<!--\)\s*coachlint-disable\(-next-turn\)\?\>.*$/ contains=ctDirectiveWord,ctRuleCode
syn match ctDirectiveWord /coachlint-disable\(-next-turn\)\?/ contained
syn match ctRuleCode /\<[A-Z]\{2,4}\d\{3}\>/ contained

" [00:01:02] or 00:01:02 at the start of a turn.
syn match ctTimestamp /^\s*\[\?\d\{1,2}:\d\{2}\(:\d\{2}\)\?\([.,]\d\+\)\?\]\?\ze\s/ nextgroup=ctLabel,ctCoachLabel skipwhite

" Speaker labels, at the start of a line or after the timestamp; a label that names
" the coach role stands apart (defined last: it wins where both match).
syn match ctLabel /^\s*\zs\k[^:]\{0,59}\ze:\s/
syn match ctLabel /\k[^:]\{0,59}\ze:\s/ contained
syn match ctLabel /^\s*\*\*[^*:]\{1,60}:\?\*\*:\?/
syn match ctLabel /\*\*[^*:]\{1,60}:\?\*\*:\?/ contained
syn match ctCoachLabel /^\s*\zs\c\<coach\>\%(\s\+\k\+\)\{0,3}\ze:\s/
syn match ctCoachLabel /\c\<coach\>\%(\s\+\k\+\)\{0,3}\ze:\s/ contained
syn match ctCoachLabel /^\s*\*\*\c\<coach\>\%(\s\+\k\+\)\{0,3}:\?\*\*:\?/

" A coach with a name (front matter `coach: Maya Chen`) is set apart the same way.
if has('nvim')
  lua pcall(function() require('coachlint').coach_syntax(0) end)
endif

hi def link ctFrontMatter Comment
hi def link ctFrontKey Identifier
hi def link ctFrontCoach Function
hi def link ctDirective Comment
hi def link ctDirectiveWord PreProc
hi def link ctRuleCode Constant
hi def link ctTimestamp Number
hi def link ctLabel Type
hi def link ctCoachLabel Function

let b:current_syntax = 'coaching-transcript'
