from tirage.cli import main

main(prog_name="tirage")
