"""The digital seal of the signed agreement (PAdES), and its validation. The only module that
imports pyHanko."""
