// Stand-in for the application's sources: a change here rebuilds only the app stage.
int main() { return 0; }
