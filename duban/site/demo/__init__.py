"""The demo district (青云谱区, from seed 001): unit directory, accounts and the imported task tree."""
