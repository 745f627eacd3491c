"""The Bot API methods the stand-in implements, one mixin of ``FakeBotApi`` per group.

Each handler takes the validated, normalised parameters and the uploaded files and returns
the ``result`` of the answer or raises :class:`standin.records.ApiError`; the table of
method names is ``FakeBotApi._handlers`` (:mod:`standin.core`).

* :mod:`standin.methods.updates` — getMe, getUpdates (long polling), webhooks, logOut/close
* :mod:`standin.methods.messages` — sending text and polls, editing, deleting, chat actions
* :mod:`standin.methods.files` — sendPhoto, sendDocument and getFile
* :mod:`standin.methods.callbacks` — answerCallbackQuery (button presses)
* :mod:`standin.methods.commands` — the bot's command lists and descriptions
* :mod:`standin.methods.chats` — getChat, chat members and administrators, leaveChat
"""
