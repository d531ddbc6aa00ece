from tirage.cli import main

main()
