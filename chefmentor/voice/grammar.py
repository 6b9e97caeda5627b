"""The command grammar: normalization tables, cue patterns per intent, and example phrases for fuzzy matching.

Patterns run on normalized text (lower case, contractions expanded, numbers as digits, fillers removed).
"""

from __future__ import annotations

import re

INTENTS: tuple[str, ...] = (
    "next_step",
    "previous_step",
    "repeat_step",
    "goto_step",
    "list_ingredients",
    "expected_state",
    "set_timer",
    "check_timer",
    "cancel_timer",
    "pause",
    "resume",
    "finish",
    "help",
    "ask",
)

CONTRACTIONS: dict[str, str] = {
    "what's": "what is",
    "whats": "what is",
    "where's": "where is",
    "wheres": "where is",
    "hows": "how is",
    "how's": "how is",
    "that's": "that is",
    "thats": "that is",
    "it's": "it is",
    "there's": "there is",
    "i'm": "i am",
    "im": "i am",
    "i've": "i have",
    "i'd": "i would",
    "i'll": "i will",
    "we're": "we are",
    "you're": "you are",
    "let's": "let us",
    "lets": "let us",
    "don't": "do not",
    "dont": "do not",
    "doesn't": "does not",
    "didn't": "did not",
    "didnt": "did not",
    "doesnt": "does not",
    "isnt": "is not",
    "cant": "can not",
    "wont": "will not",
    "wasn't": "was not",
    "wasnt": "was not",
    "aren't": "are not",
    "arent": "are not",
    "haven't": "have not",
    "havent": "have not",
    "couldn't": "could not",
    "couldnt": "could not",
    "shouldn't": "should not",
    "shouldnt": "should not",
    "wouldn't": "would not",
    "wouldnt": "would not",
    "youre": "you are",
    "theyre": "they are",
    "ive": "i have",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "isn't": "is not",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "gimme": "give me",
    "meant to": "supposed to",
    "sposed to": "supposed to",
    "lemme": "let me",
    "y'know": "",
    "ok": "okay",
    "alright": "okay",
    "all right": "okay",
    "un-pause": "unpause",
    "un pause": "unpause",
}

# Whisper tiny mishearings of command words, seen when transcribing synthesized and real commands.
MISHEARINGS: dict[str, str] = {
    "time her": "timer",
    "time are": "timer",
    "timor": "timer",
    "tymer": "timer",
    "timers's": "timers",
    "next stop": "next step",
    "next tap": "next step",
    "necks step": "next step",
    "nexstep": "next step",
    "previous stop": "previous step",
    "steps": "step",
    "stepped": "step",
    "ingredience": "ingredients",
    "ingrediants": "ingredients",
    "re-peat": "repeat",
    "repeats": "repeat",
    "paws": "pause",
    "pours": "pause",
    "pasts timer": "pasta timer",
    "pastor timer": "pasta timer",
    "rise timer": "rice timer",
    "cancer the": "cancel the",
    "council the": "cancel the",
    "cancel that": "cancel the",
    "in the session": "end the session",
    "and the session": "end the session",
    "and session": "end session",
    "and cooking": "end cooking",
    "in cooking": "end cooking",
    "on pause": "unpause",
}

# Whole-utterance mishearings: only safe when nothing else was said ("and pause." for "unpause").
WHOLE_MISHEARINGS: dict[str, str] = {
    "and pause": "unpause",
    "un pause": "unpause",
    "in pause": "unpause",
    "resumed": "resume",
    "next up": "next step",
    "you": "",
}

# Command keywords that fuzzy token correction may snap a misheard word onto.
KEYWORDS: tuple[str, ...] = (
    "timer",
    "timers",
    "alarm",
    "cancel",
    "next",
    "previous",
    "repeat",
    "ingredients",
    "ingredient",
    "pause",
    "resume",
    "finish",
    "finished",
    "minutes",
    "minute",
    "seconds",
    "remaining",
    "countdown",
)

# Dropped anywhere: hesitations and politeness carry no intent.
FILLER_WORDS = re.compile(
    r"\b(?:um+|uh+|erm+|er|hmm+|mm+|ah+|uhm|huh|please|pls|thanks|thank you|kindly)\b|"
    r"\b(?<!do )(?<!did )(?<!does )(?<!would )you know(?! (?:how|what|when|where|why|if|whether|any))\b|"
    r"\b(?<!do )(?<!did )i mean(?! (?:it|that|to))\b"
)
# "like" is a filler ("stop the like egg timer") except after these words or before a pointing word
# ("what should it look like", "i would like to", "like this").
LIKE_KEEPERS_BEFORE = frozenset(
    """look looks looked looking smell smells smelled feel feels felt taste tastes tasted sound sounds seem
    seems would i we you they be is are was it something anything things more just much not of bit""".split()
)
LIKE_KEEPERS_AFTER = frozenset("this that these those it so to".split())
# Dropped only at the start, repeatedly ("um okay so hey chef can you ...").
LEADING_FILLERS = re.compile(
    r"^(?:okay|so|well|hey|hi|hello|yeah|yes|yep|right|now|and|then|oh|cool|great|good|nice|perfect|"
    r"chef|chefmentor|chef mentor|mentor|assistant|computer|sorry|excuse me|"
    r"could you|can you|would you|will you|i want to|i would like to|i need you to|i need to|"
    r"let us|just|maybe|actually|also|quickly|go ahead and|like|you know|basically)\b\s*"
)


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


TIMER_WORD = rx(r"\b(?:timers?|alarms?|countdowns?|count down|stopwatch|kitchen clock|on the clock)\b")
TIMER_PLURAL = rx(r"\b(?:timers|alarms|countdowns|all|every|everything|both)\b")
TIMER_CANCEL = rx(
    r"\b(?:cancel(?:led)?|stop|delete|remove|clear|kill|turn off|switch off|shut off|reset|forget|dismiss|"
    r"abort|drop|get rid of|scrap|never mind|nevermind|end|silence|no more|do not need|"
    r"(?:turn|switch|shut|knock) (?:\w+ ){0,3}off)\b"
)
TIMER_SET = rx(
    r"\b(?:set|start|make|add|create|begin|put|run|give me|i need|i want|launch|activate|new|another|"
    r"second|one more|time)\b"
)
TIMER_REMIND = rx(r"\b(?:remind me|alert me|let me know|tell me|notify me|ping me|wake me|beep|ring|buzz|shout)\b")
TIMER_CHECK = rx(
    r"\b(?:how long|how much (?:time|longer)|how many (?:minutes|seconds|hours)|left|remaining|remain|"
    r"to go|status|check|is (?:it|the .*|my .*) (?:done|up|finished|over|ready)|when (?:will|is|does)|"
    r"time is it|still|going|running|any|what (?:timers|are my timers)|list|are there|how are|how is|"
    r"what about|where (?:is|are))\b"
)
# Counting down without saying "timer": "remind me in 5 minutes", "count 90 seconds".
COUNTDOWN_VERB = rx(r"\b(?:count(?:down)?|countdown|time|clock|set|start)\b")
REMAINING_QUESTION = rx(
    r"\bhow (?:long|much (?:time|longer)|many (?:minutes|seconds))\b.*\b(?:left|remaining|to go|more)\b|"
    r"\b(?:time|minutes|seconds) (?:left|remaining)\b|\bhow long (?:until|till|before)\b|"
    r"\bhow much (?:time|longer) (?:on|for) \b|"
    r"\bhow long (?:is )?(?:left )?on (?:the|my) \w+(?: \w+)?$|\bhow much time do (?:i|we) (?:have|got)\b|"
    r"\bhow (?:long|much (?:time|longer)) (?:have|has|do|does) (?:the |my )?\w+(?: \w+)? (?:got|have|left)\b(?! to)|"
    r"\bwhen (?:will|is|does) (?:the |my )?(?!it\b|this\b|that\b|they\b)\w+(?: \w+)? (?:be )?(?:done|ready|finished)\b|"
    r"\bhow much longer\b(?!.*\b(?:should|do|does|need|cook|"
    r"bake|simmer|boil|fry|rest|wait)\b)"
)

QUANTITY_OR_SWAP = rx(
    r"\b(?:how much|how many \w+ (?!are)|instead|substitut\w*|replace|swap|alternative|without|out of|"
    r"do not have|allerg\w*|vegan|gluten|dairy|can i use|could i use)\b"
)
ASK_STRONG = rx(
    r"\b(?:instead of|substitut\w*|replace|replacement|swap|alternative|without|out of|do not have|"
    r"have no|ran out|run out|allerg\w*|vegan|vegetarian|gluten|dairy|lactose|how much|how many|why|"
    r"can i use|could i use|what if|is it (?:ok|okay|fine|safe|normal|bad)|what temperature|what heat|"
    r"how hot|how long (?:do|should|does|will|to|is|for)|how do i (?!know|tell)|what kind|which|"
    r"what is (?:a|an) |what does .* mean|tips?|advice|recommend)\b|"
    r"^(?:can|could|should|may|do|does|will|would) (?:i|we) (?!go|move|continue|resume|repeat|pause|hear|"
    r"skip(?:$| (?:this|that|it|to|ahead|forward|on|over|past|a step|the step|the next|step|\d))|stop(?! \w+ing)|"
    r"back|rewind|undo|jump|return|hold|wait|hang on|carry on|keep going|end|quit|"
    r"see|get the ingredients|start|finish|set|cancel|check)"
)

GOTO_VERB = rx(
    r"\b(?:go|goes|going|jump|skip|move|take|back|return|show|read|tell|what is|open|do|start|begin|bring|"
    r"switch|head|onto|on to|to|at|resume|let us|repeat|want|restart|start over|from)\b"
)

EXPECTED_STATE = rx(
    r"\b(?:look like|looks like|looking like|supposed to (?:look|be(?! doing)|seem|smell|feel)|"
    r"should (?:it|this|they|that) "
    r"(?:look|be|smell|feel|sound|taste|seem)|should the \w+ (?:look|smell|feel|sound|seem)|"
    r"how do i know|how will i know|how can i tell|how would i "
    r"know|how do i tell|how can i know|when is (?:it|this|that) (?:done|ready|finished)|is (?:it|this|that) "
    r"(?:done|ready|cooked)(?: yet)?|what am i looking for|what (?:do|should) i look for|"
    r"what (?:should|do|am) i (?:be )?(?:looking|watching|checking|listening) (?:for|out for)|"
    r"^(?:is|does) (?:this|it|that) (?:look |seem )?(?:right|correct)(?: now| so far)?$|"
    r"what (?:should|would|will|do|am) i (?:be )?(?:supposed to )?(?:be )?"
    r"(?:see|seeing|expect|expecting|notice|noticing|aiming for|going for)|"
    r"expected (?:state|result|look)|texture|consistency|done yet|ready yet|what colou?r|how should (?:it|this|"
    r"they|that) (?:look|be)|what (?:does|should) (?:it|this|that|they) look|signs? (?:of|that)|"
    r"what is the (?:goal|target)|when do i stop|^(?:is|are) (?:the |my )?\w+(?: \w+)? (?:done|ready|cooked)\b|"
    r"how do i know when|how (?:thick|thin|brown|golden|dark|soft|"
    r"firm|crispy|crisp|runny|smooth|big|small) should (?:it|this|that|they|the \w+) (?:be|get|look))\b"
)

INGREDIENTS = rx(
    r"\b(?:ingredients?|shopping list|grocery|groceries|what (?:do|will|would) (?:i|we) need|what is needed|"
    r"what goes in(?:to)?|what is in (?:it|this|the dish|the recipe|there)|what am i going to need|"
    r"what do we need|what (?:do|does) (?:it|this|the recipe|the dish) (?:need|take|call for|use)|"
    r"what (?:i|we) need|list of things|everything (?:i|we) need|what else do (?:i|we) need)\b"
)

FINISH = rx(
    r"\b(?:finish (?:cooking|the (?:recipe|dish|session|meal|cooking)|up|everything|it all|now)|"
    r"end (?:the |this )?(?:session|cooking|recipe)|stop cooking|quit|exit|all (?:done|finished)|"
    r"(?:close|shut) (?:it|this|everything) down|we are (?:all )?done|"
    r"(?:i am|we are) (?:all )?(?:done|finished) (?:cooking|with (?:the|this) (?:recipe|dish|meal))|"
    r"that is (?:all|it for (?:today|now|the recipe)|us (?:all )?(?:done|finished))|end (?:it|it all|things)$|"
    r"complete (?:the |this )?(?:session|recipe|cooking|dish)|"
    r"mark (?:it |this |the session |the recipe )?(?:as )?(?:complete|completed|done|finished)|"
    r"(?:the )?dish is (?:ready|done|finished|complete)|"
    r"\b(?:dinner|lunch|breakfast|supper|tea|the meal|the food|it all) (?:is )?(?:done|finished|served|cooked)$|"
    r"wrap (?:it |this )?up|we are finished|"
    r"close the session|done cooking|finished cooking|food is ready|ready to (?:eat|serve)|serve it|^(?:the )?end$|"
    r"(?:done|finished) for (?:today|tonight|now|the day)|"
    r"(?:i am|we are) done with (?:the|this) recipe|end session|finish session|finish recipe)\b|^finish$"
)

HELP = rx(
    r"^(?:help|help me)$|\b(?:what (?:\w+ ){0,3}can (?:i|you) (?:say|do|ask)|what (?:can|do) you help (?:me )?with|"
    r"what (?:are|is) (?:the|my) (?:options|commands)|"
    r"(?:list|show|give me) (?:the |your )?commands|what commands|how does this work|how do i use (?:this|you)|"
    r"how do i (?:talk|speak) to (?:you|this|it)|"
    r"what do i say|what should i say|what can i tell you|i need help|help menu|voice commands)\b"
)

REPEAT = rx(
    r"\b(?:repeat|again|say (?:that|it|this)|come again|pardon|what was that|did not (?:catch|hear|get|understand)|"
    r"what did (?:you|it|that|the step) (?:say|just say)|"
    r"(?:you|it) (?:just )?said|(?:one|1) more time|once more|current step|"
    r"(?:what is|read|explain) this step|what step|which step|"
    r"where am i|where are we|what (?:am|was|were) (?:i|we) (?:doing|on|supposed to (?:be )?do(?:ing)?)|"
    r"read (?:it|that|the step|this)|"
    r"what was the step|remind me (?:what|of the step)|what do i do (?:here|in this step)|i missed that|"
    r"could not hear|can not hear|what were the instructions|^sorry$|^what$)\b"
)

PREVIOUS = rx(
    r"\b(?:previous|go back|back up|backwards?|last step|step before|before that|undo|prior|earlier step|"
    r"one back|step back|went too far|the one before|back one|move back|go backwards|rewind|last one|"
    r"what was the last(?! (?:thing |bit |part )?(?:you|it) (?:just )?said)|"
    r"back a step|(?:take|bring|send) (?:me|us) back)\b|^back$"
)

RESUME_ALWAYS = rx(
    r"\b(?:resume|unpause|i am back|we are back|back now|ready again|pick up where|where were we|"
    r"where did we leave off|where was i|(?:where|from where) (?:we|i) (?:left|stopped)|"
    r"let us (?:continue|resume|keep going|carry on|get going again)|okay i am here|back again|"
    r"get going again|^(?:i am|we are) here(?: now| again)?$|^(?:okay |right |so )?(?:let us )?go again$|"
    r"(?:carry on|keep going|continue) again|from where (?:we|i) (?:paused|stopped|left off))\b"
)
# Without knowing the pause state, these mean "unpause" more often than "next step".
RESUME_LEANING = rx(r"\b(?:continue|carry on|keep going|resume)\b")
# Asked while not paused, these are about the current step rather than unpausing.
WHERE_WAS_I = rx(r"\b(?:where (?:was i|were we|am i)|where did we leave off)\b")
# "it is not ready yet": the cook needs more time, which is a pause rather than a move on.
NOT_READY = rx(r"\b(?:not|never) (?:quite |yet |really )?(?:ready|done|finished|complete|cooked)\b")
CONTINUE_LIKE = rx(r"\b(?:continue|keep going|carry on|go on|proceed|let us go|ready|go ahead)\b|^go(?: go)*$")

NEXT = rx(
    r"\b(?:next|what now|now what|what do i do now|what do i do next|then what|and then|after that|move on|"
    r"moving on|onward|forward|skip|advance|done|finished|complete|completed|got it|i did (?:it|that)|"
    r"what is after|what comes after|what comes next|what (?:do i do|happens|comes) after (?:this|that)|"
    r"it is done|that is done|okay done|did that|"
    r"what else|keep moving|the following)\b"
)

PAUSE = rx(
    r"\b(?:pause|hold on|hold up|hold it|wait(?! for (?:the|it|them|that)\b)|hang on|"
    r"one (?:moment|sec|minute|min)|just a (?:moment|sec|minute|"
    r"min|bit)|give me a (?:moment|sec|minute|bit|min|break|second)|stop(?! \w+ing\b)|be right back|brb|take a break|"
    r"break|not yet|shh+|quiet|be quiet|shut up|stop talking|halt|give me \d+ (?:minutes?|sec|seconds?)|"
    r"need a (?:minute|moment|break)|too fast|slow down|(?:one|1) (?:moment|sec|min)|"
    r"^(?:a|1|one) (?:moment|sec|second|minute|min|tick)$)\b"
)

# Canonical phrases per intent for fuzzy matching when no pattern fires (STT noise, odd word order).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "next_step": ("next step", "next", "what is next", "go to the next step", "move on", "done next"),
    "previous_step": ("previous step", "go back", "go back a step", "back one step", "last step"),
    "repeat_step": ("repeat", "repeat that", "say that again", "repeat the step", "what was that"),
    "list_ingredients": ("ingredients", "list the ingredients", "what ingredients do i need"),
    "expected_state": ("what should it look like", "how do i know it is done", "what am i looking for"),
    "set_timer": ("set a timer", "start a timer", "set timer"),
    "check_timer": ("check the timer", "how long is left", "time left", "timer status"),
    "cancel_timer": ("cancel the timer", "stop the timer", "cancel timer"),
    "pause": ("pause", "hold on", "wait a moment", "pause cooking"),
    "resume": ("resume", "resume cooking", "unpause", "i am back"),
    "finish": ("finish", "finish cooking", "all done", "end session"),
    "help": ("help", "what can i say", "commands"),
}

# Words that never name a timer ("set the timer", "cancel that one").
NOT_TIMER_NAMES = frozenset(
    """a an the my our your this that these those it its one timer timers alarm alarms countdown
    for on of to in at me us please minute minutes second seconds sec secs hour hours min mins
    set start cancel stop check how long left remaining is are was do does what which new another
    all every both any some and or with kitchen current running first other last next there
    time called named labelled labeled up down off clock more much many still just now
    add clear remove delete kill mind never turn switch shut put reset make create begin run give need want
    launch activate drop scrap dismiss abort silence forget end get rid wake remind alert let know tell notify
    ping beep ring buzz count counting new check show stop pause see hear will would be should half quarter
    quarters couple few nevermind doing going running hows whats""".split()
)
