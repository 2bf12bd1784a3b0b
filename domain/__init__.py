"""The vocabulary every layer shares: plain data and fixed names, importing no other project package.

* :mod:`domain.messages`: what comes in (``Incoming``) and what goes out (``Reply``);
* :mod:`domain.case`: a case and its records, and ``UserView``;
* :mod:`domain.outcome`: the effects on storage and the ``Outcome`` of one update;
* :mod:`domain.issues`, :mod:`domain.stages`, :mod:`domain.labels`: issue types, stages and labels;
* :mod:`domain.screenshots`: the kinds of screenshot the OCR tells apart;
* :mod:`domain.shops`: platforms, activity names and shop names;
* :mod:`domain.limits`: Telegram's limits.

Nothing is imported here: ``import domain`` loads no module but this one (``tests/test_layers.py``).
"""
