from casemgmt.main import create_app

app = create_app()
app.state.runtime.serve(app)
