"""The vocabulary every layer shares: plain data and fixed names, importing no other project package.

* :mod:`domain.messages`: what comes in (:class:`~domain.messages.Incoming`) and goes out
  (:class:`~domain.messages.Reply`);
* :mod:`domain.case`: a case and its records, and :class:`~domain.case.UserView`;
* :mod:`domain.outcome`: the effects on storage and the :class:`~domain.outcome.Outcome` of one update.

Nothing is imported here: ``import domain`` loads no module but this one.
"""
