from fleksrun.cli.app import main

main()
